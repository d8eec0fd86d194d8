// The DA hardware report as MediaTek's downloader reads it: one field at a time, in wire order
// (da_stage.c:412-812, docs/protocol.md §8), plus the MT6261 e-fuse block that downloader omits
// but the MT6261-family DA sends (mtkclient, the RePhone FlashTool log). Pure data.

export interface ReportField {
  name: string;
  bytes: number;
  /** A field the DA sends only after slow work (flash/RAM detection, flash scan). */
  slow?: boolean;
}

const words = (prefix: string, n: number): ReportField[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${i + 1}`, bytes: 2 }));
const dwords = (prefix: string, n: number): ReportField[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${i + 1}`, bytes: 4 }));

const NOR_FIELDS: ReportField[] = [
  { name: 'NOR status', bytes: 4, slow: true },
  { name: 'NOR chip select', bytes: 2 },
  { name: 'NOR flash id', bytes: 2 },
  { name: 'NOR flash size', bytes: 4 },
  { name: 'NOR flash size die 1', bytes: 4 },
  ...words('NOR dev code', 4),
  { name: 'NOR OTP status', bytes: 4 },
  { name: 'NOR OTP size', bytes: 4 },
  { name: 'NOR flash id die 2', bytes: 2 },
  { name: 'NOR flash size die 2', bytes: 4 },
  ...words('NOR die 2 dev code', 4),
  { name: 'NOR die 2 OTP status', bytes: 4 },
  { name: 'NOR die 2 OTP size', bytes: 4 },
];

const NAND_FIELDS: ReportField[] = [
  { name: 'NAND status', bytes: 4 },
  { name: 'NAND chip select', bytes: 1 },
  { name: 'NAND flash id', bytes: 2 },
  { name: 'NAND flash size', bytes: 4 },
  ...words('NAND dev code', 8),
  { name: 'NAND page size', bytes: 2 },
  { name: 'NAND spare size', bytes: 2 },
  { name: 'NAND pages per block', bytes: 2 },
  { name: 'NAND interface and address cycles', bytes: 2 },
];

const EMMC_FIELDS: ReportField[] = [
  { name: 'eMMC status', bytes: 4 },
  { name: 'eMMC manufacturer', bytes: 1 },
  { name: 'eMMC product name', bytes: 6 },
  { name: 'eMMC partitioned', bytes: 1 },
  ...dwords('eMMC partition size', 8),
];

const RAM_FIELDS: ReportField[] = [
  { name: 'internal SRAM status', bytes: 4 },
  { name: 'internal SRAM size', bytes: 4 },
  { name: 'external RAM status', bytes: 4 },
  { name: 'external RAM type and chip select', bytes: 2 },
  { name: 'external RAM size', bytes: 4 },
  { name: 'SF detection table', bytes: 12 },
];

const TAIL_FIELDS: ReportField[] = [
  { name: 'all-sent ACK', bytes: 1 },
  { name: 'flash scan ACK', bytes: 1, slow: true },
  { name: 'download status', bytes: 4 },
  { name: 'boot style', bytes: 4 },
  { name: 'SOC check result', bytes: 1 },
];

export const DA_REPORT_FIELDS: readonly ReportField[] = [
  ...NOR_FIELDS,
  ...NAND_FIELDS,
  ...EMMC_FIELDS,
  ...RAM_FIELDS,
  ...dwords('MT6261 e-fuse word', 6),
  ...TAIL_FIELDS,
];
