/* What the benchmark's files (bench.c, onnx_bench.c, objectives_bench.c)
 * share: the clock, the median, and each suite's entry point. */
#ifndef NNPART_BENCH_H
#define NNPART_BENCH_H

double bench_now(void);                /* monotonic seconds */
double bench_median(double *v, int n); /* sorts v; n > 0 */

int bench_onnx(void);                                     /* onnx_bench.c */
int bench_onnx_child(const char *mode, const char *path); /* ... in a fresh process */
int bench_objectives(int runs, double limit_s);           /* objectives_bench.c */
int bench_throughput(int runs, double limit_s);           /* objectives_bench.c */

#endif
