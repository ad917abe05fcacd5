// What reading a unit's location and range lists needs from its unit: the DWARF version,
// sizes, the base address (DW_AT_low_pc of the unit) and indexed addresses (.debug_addr).

export interface UnitContext {
  readonly version: number;
  readonly addressSize: 4 | 8;
  readonly offsetSize: 4 | 8;
  /** The unit's base address for offset pairs (its DW_AT_low_pc, 0 if none). */
  readonly baseAddress: bigint;
  /** The address at `index` of the unit's .debug_addr table (DW_FORM_addrx, DW_LLE_startx_*). */
  addressAt(index: number): bigint;
}
