/**
 * Memory-permission set-ups a segment can run under, and what the generator can know
 * statically about them. The harness (runtime/harness.c) builds one identity map per
 * variant (Sv39 or Sv48; 4 KiB pages or one megapage); only the four scratch pages differ
 * from "all RWX, A and D set". In RV32 programs the harness builds every variant as an
 * Sv32 map (4 KiB pages, or one 4 MiB megapage), whatever its `levels`.
 *
 * A and D are always set: hardware A/D updating versus a page fault (Svade) is an
 * implementation choice, and so is the order of checks the fuzz would otherwise expose.
 */
import { Mode } from './csrs';
import { Pte, type PageVariant, type SegmentPlan } from './program';

const { V, R, W, X, U } = Pte;
const AD = Pte.A | Pte.D;

const S_RW = V | R | W | AD, U_RW = V | R | W | U | AD;
const pages4 = (levels: 3 | 4, user: boolean, scratchFlags: PageVariant['scratchFlags']): PageVariant =>
  ({ user, levels, megapage: false, scratchFlags });
const megapage = (levels: 3 | 4, user: boolean): PageVariant => {
  const f = V | R | W | X | AD | (user ? U : 0);
  return { user, levels, megapage: true, scratchFlags: [f, f, f, f] };
};

export const PAGE_VARIANTS: readonly PageVariant[] = [
  /* 1 */ pages4(3, false, [S_RW, S_RW, S_RW, S_RW]),
  /* 2 */ pages4(3, true, [U_RW, U_RW, U_RW, U_RW]),
  // S: read-only, invalid, user page (needs SUM), execute-only (loads need MXR)
  /* 3 */ pages4(3, false, [V | R | AD, 0, U_RW, V | X | AD]),
  // U: plain, read-only, supervisor page, reserved W-without-R encoding
  /* 4 */ pages4(3, true, [U_RW, V | R | U | AD, S_RW, V | W | U | AD]),
  // S: reserved W-without-R, plain, user RX page (needs SUM), read-only
  /* 5 */ pages4(3, false, [V | W | AD, S_RW, V | R | X | U | AD, V | R | AD]),
  // U: invalid, execute-only user page (loads need MXR), plain, RWX
  /* 6 */ pages4(3, true, [0, V | X | U | AD, U_RW, V | R | W | X | U | AD]),
  // Sv48 walks of 3 and 4, and 2 MiB megapages
  /* 7 */ pages4(4, false, [V | R | AD, 0, U_RW, V | X | AD]),
  /* 8 */ pages4(4, true, [U_RW, V | R | U | AD, S_RW, V | W | U | AD]),
  /* 9 */ megapage(3, false),
  /* 10 */ megapage(4, true),
  /* 11 */ megapage(4, false),
  /* 12 */ megapage(3, true),
];

/** Variant numbers (1-based, as in SegmentPlan.paging) usable for a mode. */
export function variantsFor(mode: Mode): number[] {
  const user = mode === Mode.U;
  return PAGE_VARIANTS.flatMap((v, i) => (v.user === user ? [i + 1] : []));
}

/**
 * True when every load, store and AMO to scratch page `page` succeeds in this segment
 * whatever the random code does to mstatus.SUM and MXR (which it may flip).
 */
export function pageAlwaysReadWrite(seg: SegmentAccess, page: number): boolean {
  if (seg.pmpGuard && page === 3 && seg.mode !== Mode.M) return false;
  return pteAlwaysReadWrite(seg, page);
}

/**
 * True when QEMU 7.2 would report an AMO fault on this page differently from the spec,
 * beyond what the test's cause rewriting (load cause → store/AMO cause) can repair: pmp
 * denies the page while its PTE may let a load through but not a store. QEMU runs the
 * AMO as a load first and takes the pmp access fault; the spec checks the PTE for the
 * store/AMO access first and takes a store/AMO page fault. AMOs avoid these pages.
 */
export function amoFaultDiffersInQemu(seg: SegmentAccess, page: number): boolean {
  return seg.mode !== Mode.M && seg.pmpGuard && page === 3 && !pteAlwaysReadWrite(seg, page);
}

/**
 * True when a misaligned access crossing into scratch page 3 could meet both a pmp
 * denial and a page fault there. QEMU 7.2 checks pmp over the whole access at the first
 * page's physical address and reports an access fault; the spec gives the page fault of
 * the second page priority (privileged spec, table 3.7). Accesses avoid such crossings.
 */
export function crossingIntoGuardMayPageFault(seg: SegmentAccess): boolean {
  return seg.mode !== Mode.M && seg.pmpGuard && seg.paging !== 0 && !pteAlwaysReadWrite(seg, 3);
}

/** Scratch offset where page 3 starts (the pmp-guarded page). */
export const GUARD_PAGE_OFFSET = 0x3000;

type SegmentAccess = Pick<SegmentPlan, 'mode' | 'paging' | 'pmpGuard'>;

function pteAlwaysReadWrite(seg: SegmentAccess, page: number): boolean {
  if (seg.mode === Mode.M) return true; // M: bare, and pmp entry 0 is not locked
  if (seg.paging === 0) return true;
  const flags = PAGE_VARIANTS[seg.paging - 1].scratchFlags[page];
  if ((flags & (V | R | W)) !== (V | R | W)) return false;
  return seg.mode === Mode.U ? (flags & U) !== 0 : (flags & U) === 0;
}
