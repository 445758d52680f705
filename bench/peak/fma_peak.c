#define _GNU_SOURCE
/* The FP32 peak of this machine's cores: fused multiply-adds on registers only (no memory traffic), one pinned
   thread per core, so that the GFLOP/s of a kernel can be read as a fraction of what the core can do.
   Build: gcc -O3 -funroll-all-loops -mavx512f -mfma -pthread bench/peak/fma_peak.c -o /tmp/fma_peak
   Run:   /tmp/fma_peak THREADS WIDTH       WIDTH 512 or 256 (bits per vector); prints GFLOP/s of all threads.
   Twelve independent accumulators cover an FMA latency of 4 cycles on 2 pipes (AVX-512 has 32 registers,
   AVX2 16). Each FMA counts as 2 FLOP per lane. */
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ACC 12
#define ITERS 4000000000L /* FMAs per thread and lane group: about 1-2 s */

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void *fma512(void *unused) {
    __m512 a[ACC], x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
    for (int i = 0; i < ACC; i++) a[i] = _mm512_set1_ps((float) i);
    for (long it = 0; it < ITERS / ACC; it++)
        for (int i = 0; i < ACC; i++) a[i] = _mm512_fmadd_ps(a[i], x, y);
    for (int i = 1; i < ACC; i++) a[0] = _mm512_add_ps(a[0], a[i]);
    return (void *) (long) _mm512_reduce_add_ps(a[0]); /* keeps the sums alive */
}

static void *fma256(void *unused) {
    __m256 a[ACC], x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(0.9999999f);
    for (int i = 0; i < ACC; i++) a[i] = _mm256_set1_ps((float) i);
    for (long it = 0; it < ITERS / ACC; it++)
        for (int i = 0; i < ACC; i++) a[i] = _mm256_fmadd_ps(a[i], x, y);
    for (int i = 1; i < ACC; i++) a[0] = _mm256_add_ps(a[0], a[i]);
    float f[8];
    _mm256_storeu_ps(f, a[0]);
    return (void *) (long) (f[0] + f[7]);
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1, width = argc > 2 ? atoi(argv[2]) : 512;
    if (threads < 1 || threads > 64 || (width != 512 && width != 256)) {
        fprintf(stderr, "usage: fma_peak THREADS(1-64) WIDTH(512|256), got %s %s\n", argc > 1 ? argv[1] : "-",
                argc > 2 ? argv[2] : "-");
        return 2;
    }
    pthread_t th[64];
    double t0 = seconds();
    for (int i = 0; i < threads; i++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(i, &cpus);
        pthread_attr_setaffinity_np(&attr, sizeof cpus, &cpus);
        pthread_create(&th[i], &attr, width == 512 ? fma512 : fma256, NULL);
    }
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    double dt = seconds() - t0, flop = (double) threads * ITERS * (width / 32) * 2;
    printf("threads=%d width=%d  %.1f GFLOP/s  (%.1f per thread)\n", threads, width, flop / dt / 1e9,
           flop / dt / 1e9 / threads);
    return 0;
}
