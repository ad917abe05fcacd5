// The numbers of DWARF 5 (DWARF Debugging Information Format Version 5, section 7, "Data
// Representation") this reader uses, with their names for dumps and error messages; the few
// GNU extensions gcc 12 emits are marked.

/** Builds a name → number table and its reverse from one object literal. */
function table<T extends Record<string, number>>(prefix: string, entries: T): T & { nameOf(value: number): string } {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(entries)) if (!names.has(value)) names.set(value, name);
  return Object.assign(Object.create(null), entries, {
    nameOf: (value: number) => {
      const name = names.get(value);
      return name !== undefined ? `${prefix}${name}` : `${prefix}0x${value.toString(16)}`;
    },
  });
}

/** Unit types (7.5.1, table 7.2). */
export const UT = table('DW_UT_', {
  compile: 0x01, type: 0x02, partial: 0x03, skeleton: 0x04, split_compile: 0x05, split_type: 0x06,
});

/** Tags (7.5.3, table 7.3); the names are the spec's, without DW_TAG_. */
export const TAG = table('DW_TAG_', {
  array_type: 0x01, class_type: 0x02, entry_point: 0x03, enumeration_type: 0x04, formal_parameter: 0x05,
  imported_declaration: 0x08, label: 0x0a, lexical_block: 0x0b, member: 0x0d, pointer_type: 0x0f,
  reference_type: 0x10, compile_unit: 0x11, string_type: 0x12, structure_type: 0x13, subroutine_type: 0x15,
  typedef: 0x16, union_type: 0x17, unspecified_parameters: 0x18, variant: 0x19, common_block: 0x1a,
  common_inclusion: 0x1b, inheritance: 0x1c, inlined_subroutine: 0x1d, module: 0x1e, ptr_to_member_type: 0x1f,
  set_type: 0x20, subrange_type: 0x21, with_stmt: 0x22, access_declaration: 0x23, base_type: 0x24,
  catch_block: 0x25, const_type: 0x26, constant: 0x27, enumerator: 0x28, file_type: 0x29, friend: 0x2a,
  namelist: 0x2b, namelist_item: 0x2c, packed_type: 0x2d, subprogram: 0x2e, template_type_parameter: 0x2f,
  template_value_parameter: 0x30, thrown_type: 0x31, try_block: 0x32, variant_part: 0x33, variable: 0x34,
  volatile_type: 0x35, dwarf_procedure: 0x36, restrict_type: 0x37, interface_type: 0x38, namespace: 0x39,
  imported_module: 0x3a, unspecified_type: 0x3b, partial_unit: 0x3c, imported_unit: 0x3d, condition: 0x3f,
  shared_type: 0x40, type_unit: 0x41, rvalue_reference_type: 0x42, template_alias: 0x43, coarray_type: 0x44,
  generic_subrange: 0x45, dynamic_type: 0x46, atomic_type: 0x47, call_site: 0x48, call_site_parameter: 0x49,
  skeleton_unit: 0x4a, immutable_type: 0x4b,
  GNU_call_site: 0x4109, GNU_call_site_parameter: 0x410a,
});

/** Attributes (7.5.4, table 7.5). */
export const AT = table('DW_AT_', {
  sibling: 0x01, location: 0x02, name: 0x03, ordering: 0x09, byte_size: 0x0b, bit_offset: 0x0c, bit_size: 0x0d,
  stmt_list: 0x10, low_pc: 0x11, high_pc: 0x12, language: 0x13, discr: 0x15, discr_value: 0x16, visibility: 0x17,
  import: 0x18, string_length: 0x19, common_reference: 0x1a, comp_dir: 0x1b, const_value: 0x1c,
  containing_type: 0x1d, default_value: 0x1e, inline: 0x20, is_optional: 0x21, lower_bound: 0x22,
  producer: 0x25, prototyped: 0x27, return_addr: 0x2a, start_scope: 0x2c, bit_stride: 0x2e, upper_bound: 0x2f,
  abstract_origin: 0x31, accessibility: 0x32, address_class: 0x33, artificial: 0x34, base_types: 0x35,
  calling_convention: 0x36, count: 0x37, data_member_location: 0x38, decl_column: 0x39, decl_file: 0x3a,
  decl_line: 0x3b, declaration: 0x3c, discr_list: 0x3d, encoding: 0x3e, external: 0x3f, frame_base: 0x40,
  friend: 0x41, identifier_case: 0x42, macro_info: 0x43, namelist_item: 0x44, priority: 0x45, segment: 0x46,
  specification: 0x47, static_link: 0x48, type: 0x49, use_location: 0x4a, variable_parameter: 0x4b,
  virtuality: 0x4c, vtable_elem_location: 0x4d, allocated: 0x4e, associated: 0x4f, data_location: 0x50,
  byte_stride: 0x51, entry_pc: 0x52, use_UTF8: 0x53, extension: 0x54, ranges: 0x55, trampoline: 0x56,
  call_column: 0x57, call_file: 0x58, call_line: 0x59, description: 0x5a, binary_scale: 0x5b,
  decimal_scale: 0x5c, small: 0x5d, decimal_sign: 0x5e, digit_count: 0x5f, picture_string: 0x60, mutable: 0x61,
  threads_scaled: 0x62, explicit: 0x63, object_pointer: 0x64, endianity: 0x65, elemental: 0x66, pure: 0x67,
  recursive: 0x68, signature: 0x69, main_subprogram: 0x6a, data_bit_offset: 0x6b, const_expr: 0x6c,
  enum_class: 0x6d, linkage_name: 0x6e, string_length_bit_size: 0x6f, string_length_byte_size: 0x70, rank: 0x71,
  str_offsets_base: 0x72, addr_base: 0x73, rnglists_base: 0x74, dwo_name: 0x76, reference: 0x77,
  rvalue_reference: 0x78, macros: 0x79, call_all_calls: 0x7a, call_all_source_calls: 0x7b,
  call_all_tail_calls: 0x7c, call_return_pc: 0x7d, call_value: 0x7e, call_origin: 0x7f, call_parameter: 0x80,
  call_pc: 0x81, call_tail_call: 0x82, call_target: 0x83, call_target_clobbered: 0x84, call_data_location: 0x85,
  call_data_value: 0x86, noreturn: 0x87, alignment: 0x88, export_symbols: 0x89, deleted: 0x8a, defaulted: 0x8b,
  loclists_base: 0x8c,
  GNU_call_site_value: 0x2111, GNU_call_site_target: 0x2113, GNU_tail_call: 0x2115,
  GNU_all_tail_call_sites: 0x2116, GNU_all_call_sites: 0x2117, GNU_locviews: 0x2137, GNU_entry_view: 0x2138,
});

/** Attribute forms (7.5.6, table 7.6). */
export const FORM = table('DW_FORM_', {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09,
  block1: 0x0a, data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f, ref_addr: 0x10, ref1: 0x11,
  ref2: 0x12, ref4: 0x13, ref8: 0x14, ref_udata: 0x15, indirect: 0x16, sec_offset: 0x17, exprloc: 0x18,
  flag_present: 0x19, strx: 0x1a, addrx: 0x1b, ref_sup4: 0x1c, strp_sup: 0x1d, data16: 0x1e, line_strp: 0x1f,
  ref_sig8: 0x20, implicit_const: 0x21, loclistx: 0x22, rnglistx: 0x23, ref_sup8: 0x24, strx1: 0x25,
  strx2: 0x26, strx3: 0x27, strx4: 0x28, addrx1: 0x29, addrx2: 0x2a, addrx3: 0x2b, addrx4: 0x2c,
  GNU_addr_index: 0x1f01, GNU_str_index: 0x1f02, GNU_ref_alt: 0x1f20, GNU_strp_alt: 0x1f21,
});

/** Base type encodings (7.8, table 7.11). */
export const ATE = table('DW_ATE_', {
  address: 0x01, boolean: 0x02, complex_float: 0x03, float: 0x04, signed: 0x05, signed_char: 0x06,
  unsigned: 0x07, unsigned_char: 0x08, imaginary_float: 0x09, packed_decimal: 0x0a, numeric_string: 0x0b,
  edited: 0x0c, signed_fixed: 0x0d, unsigned_fixed: 0x0e, decimal_float: 0x0f, UTF: 0x10, UCS: 0x11, ASCII: 0x12,
});

/** Expression operations (7.7.1, table 7.9): lit0..31, reg0..31 and breg0..31 are ranges from their first. */
export const OP = table('DW_OP_', {
  addr: 0x03, deref: 0x06, const1u: 0x08, const1s: 0x09, const2u: 0x0a, const2s: 0x0b, const4u: 0x0c,
  const4s: 0x0d, const8u: 0x0e, const8s: 0x0f, constu: 0x10, consts: 0x11, dup: 0x12, drop: 0x13, over: 0x14,
  pick: 0x15, swap: 0x16, rot: 0x17, xderef: 0x18, abs: 0x19, and: 0x1a, div: 0x1b, minus: 0x1c, mod: 0x1d,
  mul: 0x1e, neg: 0x1f, not: 0x20, or: 0x21, plus: 0x22, plus_uconst: 0x23, shl: 0x24, shr: 0x25, shra: 0x26,
  xor: 0x27, bra: 0x28, eq: 0x29, ge: 0x2a, gt: 0x2b, le: 0x2c, lt: 0x2d, ne: 0x2e, skip: 0x2f,
  lit0: 0x30, lit31: 0x4f, reg0: 0x50, reg31: 0x6f, breg0: 0x70, breg31: 0x8f,
  regx: 0x90, fbreg: 0x91, bregx: 0x92, piece: 0x93, deref_size: 0x94, xderef_size: 0x95, nop: 0x96,
  push_object_address: 0x97, call2: 0x98, call4: 0x99, call_ref: 0x9a, form_tls_address: 0x9b,
  call_frame_cfa: 0x9c, bit_piece: 0x9d, implicit_value: 0x9e, stack_value: 0x9f, implicit_pointer: 0xa0,
  addrx: 0xa1, constx: 0xa2, entry_value: 0xa3, const_type: 0xa4, regval_type: 0xa5, deref_type: 0xa6,
  xderef_type: 0xa7, convert: 0xa8, reinterpret: 0xa9,
  GNU_push_tls_address: 0xe0, GNU_uninit: 0xf0, GNU_implicit_pointer: 0xf2, GNU_entry_value: 0xf3,
  GNU_const_type: 0xf4, GNU_regval_type: 0xf5, GNU_deref_type: 0xf6, GNU_convert: 0xf7, GNU_reinterpret: 0xf9,
  GNU_parameter_ref: 0xfa, GNU_addr_index: 0xfb, GNU_const_index: 0xfc, GNU_variable_value: 0xfd,
});

/** Location list entries of .debug_loclists (7.7.3, table 7.10). */
export const LLE = table('DW_LLE_', {
  end_of_list: 0x00, base_addressx: 0x01, startx_endx: 0x02, startx_length: 0x03, offset_pair: 0x04,
  default_location: 0x05, base_address: 0x06, start_end: 0x07, start_length: 0x08,
});

/** Range list entries of .debug_rnglists (7.25, table 7.30). */
export const RLE = table('DW_RLE_', {
  end_of_list: 0x00, base_addressx: 0x01, startx_endx: 0x02, startx_length: 0x03, offset_pair: 0x04,
  base_address: 0x05, start_end: 0x06, start_length: 0x07,
});

/** Line number program opcodes (7.22, tables 7.25-7.27) and content types (table 7.28). */
export const LNS = table('DW_LNS_', {
  copy: 0x01, advance_pc: 0x02, advance_line: 0x03, set_file: 0x04, set_column: 0x05, negate_stmt: 0x06,
  set_basic_block: 0x07, const_add_pc: 0x08, fixed_advance_pc: 0x09, set_prologue_end: 0x0a,
  set_epilogue_begin: 0x0b, set_isa: 0x0c,
});
export const LNE = table('DW_LNE_', { end_sequence: 0x01, set_address: 0x02, define_file: 0x03, set_discriminator: 0x04 });
export const LNCT = table('DW_LNCT_', { path: 0x1, directory_index: 0x2, timestamp: 0x3, size: 0x4, MD5: 0x5 });

/** Call frame instructions (7.24, table 7.29): the high two bits carry advance_loc, offset and restore. */
export const CFA = table('DW_CFA_', {
  advance_loc: 0x40, offset: 0x80, restore: 0xc0,
  nop: 0x00, set_loc: 0x01, advance_loc1: 0x02, advance_loc2: 0x03, advance_loc4: 0x04, offset_extended: 0x05,
  restore_extended: 0x06, undefined: 0x07, same_value: 0x08, register: 0x09, remember_state: 0x0a,
  restore_state: 0x0b, def_cfa: 0x0c, def_cfa_register: 0x0d, def_cfa_offset: 0x0e, def_cfa_expression: 0x0f,
  expression: 0x10, offset_extended_sf: 0x11, def_cfa_sf: 0x12, def_cfa_offset_sf: 0x13, val_offset: 0x14,
  val_offset_sf: 0x15, val_expression: 0x16,
  GNU_window_save: 0x2d, GNU_args_size: 0x2e, GNU_negative_offset_extended: 0x2f,
});

/**
 * RISC-V DWARF register numbers (RISC-V ELF psABI, "DWARF Register Numbers"): x0-x31 are 0-31,
 * f0-f31 32-63; the names are the ABI's, as binutils prints them.
 */
export const RISCV_REGISTER_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

/** The ABI name of a DWARF register number, `r<n>` past the named ones. */
export function registerName(register: number): string {
  return RISCV_REGISTER_NAMES[register] ?? `r${register}`;
}
