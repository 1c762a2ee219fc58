/* SPDX-License-Identifier: ISC */
/* ST_WIDE before a function compiles it twice on x86-64, for the baseline
   (SSE2: 4 floats per instruction) and for AVX2 (8), and the loader picks
   the one the CPU runs. Both do the same IEEE operations in the same order
   (AVX2 without FMA, and ISO C does not contract a * b + c), so their
   outputs are identical bit for bit. Meant for the sample loops that
   vectorise: node process() functions and the guard's check. */
#ifndef ST_WIDE_H
#define ST_WIDE_H

#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && !defined(ST_NO_WIDE)
#define ST_WIDE __attribute__((target_clones("avx2", "default")))
#else
#define ST_WIDE
#endif

#endif
