/* FP bench guest U-mode workload: a fixed mix of double- and single-precision kernels typical of
 * numeric code (n-body, LU solve, matrix multiply, saxpy/dot, Mandelbrot, sqrt and division,
 * int<->float conversions, rounding modes, subnormals and special values), then ecall with a
 * checksum over the raw bits of every result and the fflags each kernel accrued, so two
 * emulators agree on it only if they agree bit for bit. */
#include <stdint.h>

#ifndef BENCH_ROUNDS
#define BENCH_ROUNDS 40
#endif

#define NOINLINE __attribute__((noinline))
/* A kernel run under a rounding mode its caller set: GCC must neither inline it nor assume
 * anything about it, so none of its arithmetic moves across the frm writes around the call. */
#define OPAQUE __attribute__((noipa))

/* ---- hashing raw bits ---- */

static inline uint64_t mix64(uint64_t acc, uint64_t v)
{
    acc ^= v + 0x9e3779b97f4a7c15ULL + (acc << 6) + (acc >> 2);
    acc *= 0xff51afd7ed558ccdULL;
    return acc ^ (acc >> 33);
}

static inline uint64_t bits64(double d)
{
    union { double d; uint64_t u; } v = { .d = d };
    return v.u;
}

static inline uint32_t bits32(float f)
{
    union { float f; uint32_t u; } v = { .f = f };
    return v.u;
}

static inline float float_from_bits(uint32_t u)
{
    union { uint32_t u; float f; } v = { .u = u };
    return v.f;
}

/* fflags (unprivileged spec 11.2, fsflags swaps): the exceptions accrued since the last call,
 * cleared. It takes the kernel's hash as an input so every operation behind it comes first. */
static inline uint64_t take_fflags(uint64_t after)
{
    uint64_t flags;
    __asm__ volatile("fsflags %0, zero" : "=r"(flags) : "r"(after) : "memory");
    return flags;
}

/* frm encodings, unprivileged spec table 11.1. */
enum { RM_RNE = 0, RM_RTZ = 1, RM_RDN = 2, RM_RUP = 3, RM_RMM = 4 };

static inline void set_frm(unsigned rm)
{
    __asm__ volatile("fsrm %0" :: "r"(rm) : "memory");
}

/* ---- pseudo-random numbers (xorshift64) ---- */

static uint64_t rng_state;

static inline uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* A double in [-1, 1): a 53-bit signed integer (exact in fcvt.d.l) scaled by 2^-52. */
static inline double rng_double(void)
{
    return (double)((int64_t)rng_next() >> 11) * 0x1p-52;
}

/* A float in [-1, 1): a 32-bit integer, rounded by fcvt.s.w, scaled by 2^-31. */
static inline float rng_float(void)
{
    return (float)(int32_t)rng_next() * 0x1p-31f;
}

/* ---- n-body: the Jovian planets, symplectic Euler (the Computer Language Benchmarks Game's) ---- */

#define PI            3.141592653589793
#define SOLAR_MASS    (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODY         5
#define NBODY_STEPS   2500

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[NBODY] = {
    { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
};

static NOINLINE void nbody_offset_momentum(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODY; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static NOINLINE void nbody_advance(int steps, double dt)
{
    for (int s = 0; s < steps; s++) {
        for (int i = 0; i < NBODY; i++) {
            struct body *a = &bodies[i];
            for (int j = i + 1; j < NBODY; j++) {
                struct body *b = &bodies[j];
                double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * __builtin_sqrt(d2));
                a->vx -= dx * b->mass * mag;
                a->vy -= dy * b->mass * mag;
                a->vz -= dz * b->mass * mag;
                b->vx += dx * a->mass * mag;
                b->vy += dy * a->mass * mag;
                b->vz += dz * a->mass * mag;
            }
        }
        for (int i = 0; i < NBODY; i++) {
            bodies[i].x += dt * bodies[i].vx;
            bodies[i].y += dt * bodies[i].vy;
            bodies[i].z += dt * bodies[i].vz;
        }
    }
}

static NOINLINE double nbody_energy(void)
{
    double e = 0;
    for (int i = 0; i < NBODY; i++) {
        const struct body *a = &bodies[i];
        e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < NBODY; j++) {
            const struct body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static NOINLINE uint64_t nbody_round(void)
{
    nbody_advance(NBODY_STEPS, 0.01);
    uint64_t h = bits64(nbody_energy());
    for (int i = 0; i < NBODY; i++)
        h = mix64(h, bits64(bodies[i].x) ^ bits64(bodies[i].vy));
    return h;
}

/* ---- LU decomposition with partial pivoting, then a solve ---- */

#define LU_N 64
static double lu_a[LU_N][LU_N], lu_b[LU_N], lu_x[LU_N];

static NOINLINE uint64_t lu_round(void)
{
    for (int i = 0; i < LU_N; i++) {
        for (int j = 0; j < LU_N; j++)
            lu_a[i][j] = rng_double();
        lu_b[i] = rng_double();
    }
    double det = 1;
    for (int k = 0; k < LU_N; k++) {
        int p = k;
        double best = __builtin_fabs(lu_a[k][k]);
        for (int i = k + 1; i < LU_N; i++) {
            double v = __builtin_fabs(lu_a[i][k]);
            if (v > best) {
                best = v;
                p = i;
            }
        }
        if (p != k) {
            for (int j = 0; j < LU_N; j++) {
                double t = lu_a[k][j];
                lu_a[k][j] = lu_a[p][j];
                lu_a[p][j] = t;
            }
            double t = lu_b[k];
            lu_b[k] = lu_b[p];
            lu_b[p] = t;
            det = -det;
        }
        double pivot = lu_a[k][k];
        det *= pivot;
        double inverse = 1.0 / pivot;
        for (int i = k + 1; i < LU_N; i++) {
            double l = lu_a[i][k] * inverse;
            lu_a[i][k] = l;
            for (int j = k + 1; j < LU_N; j++)
                lu_a[i][j] -= l * lu_a[k][j];
        }
    }
    for (int i = 0; i < LU_N; i++) {            /* L y = P b (L has a unit diagonal) */
        double s = lu_b[i];
        for (int j = 0; j < i; j++)
            s -= lu_a[i][j] * lu_x[j];
        lu_x[i] = s;
    }
    for (int i = LU_N - 1; i >= 0; i--) {       /* U x = y */
        double s = lu_x[i];
        for (int j = i + 1; j < LU_N; j++)
            s -= lu_a[i][j] * lu_x[j];
        lu_x[i] = s / lu_a[i][i];
    }
    uint64_t h = bits64(det);
    for (int i = 0; i < LU_N; i++)
        h = mix64(h, bits64(lu_x[i]));
    return h;
}

/* ---- double matrix multiply, dot-product form with explicit fma ---- */

#define MM_N 44
static double mm_a[MM_N][MM_N], mm_b[MM_N][MM_N], mm_c[MM_N][MM_N];

static NOINLINE uint64_t matmul_round(void)
{
    for (int i = 0; i < MM_N; i++)
        for (int j = 0; j < MM_N; j++) {
            mm_a[i][j] = rng_double();
            mm_b[i][j] = rng_double() * 4.0;
        }
    for (int i = 0; i < MM_N; i++)
        for (int j = 0; j < MM_N; j++) {
            double s = 0;
            for (int k = 0; k < MM_N; k++)
                s = __builtin_fma(mm_a[i][k], mm_b[k][j], s);
            mm_c[i][j] = s;
        }
    uint64_t h = 0;
    for (int i = 0; i < MM_N; i++)
        for (int j = 0; j < MM_N; j++)
            h = mix64(h, bits64(mm_c[i][j]));
    return h;
}

/* ---- single precision: saxpy, dot products, normalisation ---- */

#define VEC_N 2048
static float vec_x[VEC_N], vec_y[VEC_N];

static NOINLINE float sdot(const float *x, const float *y, int n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    return (s0 + s1) + (s2 + s3);
}

static NOINLINE void saxpy(float a, const float *x, float *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

static NOINLINE uint64_t single_round(uint32_t round)
{
    for (int i = 0; i < VEC_N; i++) {
        vec_x[i] = rng_float();
        vec_y[i] = rng_float();
    }
    float a = (float)round * 0.01f + 0.5f;
    uint64_t h = 0;
    for (int pass = 0; pass < 12; pass++) {
        saxpy(a, vec_x, vec_y, VEC_N);
        float xy = sdot(vec_x, vec_y, VEC_N);
        float norm = __builtin_sqrtf(sdot(vec_y, vec_y, VEC_N));
        float inverse = 1.0f / norm;
        for (int i = 0; i < VEC_N; i++)
            vec_y[i] *= inverse;
        h = mix64(h, ((uint64_t)bits32(xy) << 32) | bits32(norm));
    }
    for (int i = 0; i < VEC_N; i += 16)
        h = mix64(h, bits32(vec_y[i]));
    return h;
}

/* ---- Mandelbrot in double, zooming into the seahorse valley round by round ---- */

#define MANDEL_W    40
#define MANDEL_H    30
#define MANDEL_ITER 128

static NOINLINE uint64_t mandelbrot_round(uint32_t round)
{
    double span = 3.0 / (double)(1u << (round % 12));
    double step = span / MANDEL_W;
    double x0 = -0.743643887037151 - span * 0.5, y0 = 0.131825904205330 - step * MANDEL_H * 0.5;
    uint64_t h = 0, total = 0;
    for (int py = 0; py < MANDEL_H; py++) {
        double ci = y0 + py * step;
        for (int px = 0; px < MANDEL_W; px++) {
            double cr = x0 + px * step;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int n = 0;
            while (n < MANDEL_ITER && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                n++;
            }
            total += (uint64_t)n;
            h = mix64(h, bits64(zr2 + zi2) + (uint64_t)n);
        }
    }
    return h ^ total;
}

/* ---- sqrt and division: series, hypotenuses, fast inverse square root ---- */

#define ROOT_N 8192

static NOINLINE uint64_t roots_round(uint32_t round)
{
    double harmonic = 0, ratio = 0, hyp = 0;
    float ratio_f = 0, error_f = 0;
    for (int i = 1; i <= ROOT_N; i++) {
        double x = (double)(i + (int)round * 7);
        harmonic += 1.0 / __builtin_sqrt(x);
        ratio += __builtin_sqrt(x) / (x + 1.0);
        double a = x * 0.75, b = 1.0 / x;
        hyp += __builtin_sqrt(a * a + b * b) / a;

        float xf = (float)i * 0.37f + (float)round;
        ratio_f += __builtin_sqrtf(xf) / (xf + 2.0f);
        /* The bit-level inverse square root of game code, two Newton steps, against 1/sqrtf. */
        float y = float_from_bits(0x5f3759dfu - (bits32(xf) >> 1));
        y = y * (1.5f - 0.5f * xf * y * y);
        y = y * (1.5f - 0.5f * xf * y * y);
        error_f += y - 1.0f / __builtin_sqrtf(xf);
    }
    uint64_t h = mix64(bits64(harmonic), bits64(ratio));
    h = mix64(h, bits64(hyp));
    return mix64(h, ((uint64_t)bits32(ratio_f) << 32) | bits32(error_f));
}

/* ---- conversions between integers and floats, both widths, signed and unsigned ---- */

#define CONVERT_N 8192

static inline int64_t lrint_dynamic(double d)
{
    int64_t r;
    __asm__("fcvt.l.d %0, %1, dyn" : "=r"(r) : "f"(d));
    return r;
}

static NOINLINE uint64_t convert_round(void)
{
    uint64_t sum = 0;
    double dsum = 0;
    float fsum = 0;
    for (int i = 0; i < CONVERT_N; i++) {
        uint64_t r = rng_next();
        int32_t v = (int32_t)r;
        double d = (double)v * 1e-3;                    /* fcvt.d.w */
        int32_t back = (int32_t)d;                      /* fcvt.w.d, rtz */
        int64_t scaled = (int64_t)(d * 1e9);            /* fcvt.l.d, rtz */
        uint32_t magnitude = (uint32_t)__builtin_fabs(d); /* fcvt.wu.d */
        float f = (float)d;                             /* fcvt.s.d, rounds */
        double widened = f;                             /* fcvt.d.s, exact */
        float from_long = (float)(int64_t)r;            /* fcvt.s.l */
        double from_unsigned = (double)r;               /* fcvt.d.lu */
        uint64_t unsigned_back = (uint64_t)(from_unsigned * 0.25); /* fcvt.lu.d */
        int32_t from_float = (int32_t)(f * 0.5f);       /* fcvt.w.s */
        sum += (uint64_t)back + (uint64_t)scaled + magnitude + unsigned_back + (uint64_t)from_float;
        sum += (uint64_t)lrint_dynamic(d * 3.5);
        dsum += widened - d + from_unsigned * 0x1p-64;
        fsum += from_long * 0x1p-63f + (float)(uint32_t)r * 0x1p-32f; /* fcvt.s.wu */
    }
    return mix64(mix64(sum, bits64(dsum)), bits32(fsum));
}

/* ---- rounding modes: the same kernels under each frm, as interval arithmetic does ---- */

#define INTERVAL_N 1536
static double interval_x[INTERVAL_N];
static float interval_f[INTERVAL_N];

static OPAQUE double interval_kernel(void)
{
    double s = 0;
    for (int i = 0; i + 1 < INTERVAL_N; i++) {
        double a = interval_x[i], b = interval_x[i + 1];
        s += a * b / (b + 3.0) + __builtin_sqrt(__builtin_fabs(a)) - __builtin_fma(a, 1.0 / 3.0, b);
    }
    return s;
}

static OPAQUE uint64_t interval_kernel_single(void)
{
    float s = 0;
    int64_t rounded = 0;
    for (int i = 0; i + 1 < INTERVAL_N; i++) {
        float a = interval_f[i], b = interval_f[i + 1];
        s += a / (b + 1.5f) + __builtin_sqrtf(__builtin_fabsf(b)) * a;
        rounded += lrint_dynamic((double)a * 1000.5);
    }
    return ((uint64_t)bits32(s) << 32) ^ (uint64_t)rounded;
}

static NOINLINE uint64_t rounding_round(void)
{
    for (int i = 0; i < INTERVAL_N; i++) {
        interval_x[i] = rng_double() * 10.0;
        interval_f[i] = rng_float() * 10.0f;
    }
    uint64_t h = 0;
    for (unsigned rm = RM_RNE; rm <= RM_RMM; rm++) {
        set_frm(rm);
        double d = interval_kernel();
        uint64_t s = interval_kernel_single();
        set_frm(RM_RNE);
        h = mix64(mix64(h, bits64(d)), s);
    }
    return h;
}

/* ---- subnormals and special values: decaying filters, NaNs, infinities, signed zeros ---- */

static const uint64_t special_bits[] = {
    0x0000000000000000ULL, 0x8000000000000000ULL,   /* +0, -0 */
    0x7ff0000000000000ULL, 0xfff0000000000000ULL,   /* +inf, -inf */
    0x7ff8000000000000ULL, 0x7ff4000000000000ULL,   /* qNaN, sNaN */
    0x0000000000000001ULL, 0x800fffffffffffffULL,   /* smallest, largest negative subnormal */
    0x7fefffffffffffffULL, 0x3ff0000000000000ULL,   /* DBL_MAX, 1 */
    0xbff8000000000000ULL, 0x4340000000000001ULL,   /* -1.5, 2^53 + 2 */
};
#define SPECIAL_N (sizeof special_bits / sizeof special_bits[0])

/* Read through volatile so GCC cannot fold the operations on them at compile time. */
static inline double special_value(unsigned i)
{
    union { uint64_t u; double d; } v = { .u = *(volatile uint64_t *)&special_bits[i] };
    return v.d;
}

static inline uint64_t fclass_d(double d)
{
    uint64_t c;
    __asm__("fclass.d %0, %1" : "=r"(c) : "f"(d));
    return c;
}

/* fmin.d/fmax.d (IEEE 754-2019 minimumNumber/maximumNumber); GCC 12 would call libm fmin. */
static inline double fmin_d(double a, double b)
{
    double r;
    __asm__("fmin.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
    return r;
}

static inline double fmax_d(double a, double b)
{
    double r;
    __asm__("fmax.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
    return r;
}

static inline int64_t fcvt_w_d(double d)
{
    int64_t r;
    __asm__("fcvt.w.d %0, %1, rtz" : "=r"(r) : "f"(d));
    return r;
}

static NOINLINE uint64_t specials_round(uint32_t round)
{
    uint64_t h = 0;
    /* A single-precision and a double IIR filter fed one impulse. The double one decays
     * through the subnormals to zero; the float one stalls a few ulps above zero, since
     * round-to-nearest takes k * 0.9 back to k for a subnormal of k ulps, k < 5. */
    float yf = 1.0f + (float)round;
    double yd = 1.0 + (double)round;
    int zero_f = -1, zero_d = -1;
    for (int i = 0; i < 1200; i++) {
        yf = yf * 0.9f;
        yd = yd * 0.5 + yd * 0x1p-8;
        if (zero_f < 0 && yf == 0.0f)
            zero_f = i;
        if (zero_d < 0 && yd == 0.0)
            zero_d = i;
        if ((i & 63) == 63)
            h = mix64(h, bits64(yd) ^ bits32(yf));
    }
    h = mix64(h, ((uint64_t)(uint32_t)zero_f << 32) | (uint32_t)zero_d);

    for (unsigned i = 0; i < SPECIAL_N; i++) {
        double a = special_value(i);
        h = mix64(h, fclass_d(a) | (uint64_t)fcvt_w_d(a) << 16);
        h = mix64(h, bits64(__builtin_sqrt(a)) ^ bits32((float)a));
        for (unsigned j = 0; j < SPECIAL_N; j++) {
            double b = special_value(j);
            h = mix64(h, bits64(a + b) ^ (bits64(a * b) << 1));
            h = mix64(h, bits64(a / b) ^ bits64(__builtin_fma(a, b, -a)));
            h = mix64(h, bits64(fmin_d(a, b)) ^ (bits64(fmax_d(a, b)) >> 1));
            h = mix64(h, bits64(__builtin_copysign(a, b)));
            h = mix64(h, (uint64_t)(a == b) | (uint64_t)(a < b) << 1 | (uint64_t)(a <= b) << 2);
        }
    }
    return h;
}

/* ---- driver ---- */

/* Each kernel's last hash, for a debugger comparing two runs kernel by kernel. */
enum { K_NBODY, K_LU, K_MATMUL, K_SINGLE, K_MANDELBROT, K_ROOTS, K_CONVERT, K_ROUNDING, K_SPECIALS, K_COUNT };
uint64_t fp_results[K_COUNT];

static inline uint64_t record(unsigned kernel, uint64_t acc, uint64_t h)
{
    h = mix64(h, take_fflags(h));
    fp_results[kernel] = h;
    return mix64(acc, h);
}

static NOINLINE uint64_t workload(void)
{
    uint64_t acc = 0;
    nbody_offset_momentum();
    for (uint32_t round = 0; round < BENCH_ROUNDS; round++) {
        rng_state = 0x2545f4914f6cdd1dULL ^ ((uint64_t)round * 0x9e3779b97f4a7c15ULL);
        if (rng_state == 0)
            rng_state = 1;
        acc = record(K_NBODY, acc, nbody_round());
        acc = record(K_LU, acc, lu_round());
        acc = record(K_MATMUL, acc, matmul_round());
        acc = record(K_SINGLE, acc, single_round(round));
        acc = record(K_MANDELBROT, acc, mandelbrot_round(round));
        acc = record(K_ROOTS, acc, roots_round(round));
        acc = record(K_CONVERT, acc, convert_round());
        acc = record(K_ROUNDING, acc, rounding_round());
        acc = record(K_SPECIALS, acc, specials_round(round));
    }
    return acc;
}

/* Entered by mret in U-mode with sp at the user stack; never returns. */
__attribute__((noreturn)) void user_main(void)
{
    register uint64_t a0 __asm__("a0") = workload();
    for (;;)
        __asm__ volatile("ecall" :: "r"(a0) : "memory");
}
