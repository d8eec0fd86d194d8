// Next's ambient types (CSS modules, images). `next build` writes the same references into
// next-env.d.ts, which is git-ignored; this file lets `tsc -p .` work on a fresh checkout.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
