/**
 * Benchmarks: JMH microbenchmarks of the kernels at the reference models' shapes ({@link org.cae4j.bench.GemmBench},
 * {@link org.cae4j.bench.ConvBench}), and whole training runs ({@link org.cae4j.bench.TrainRun}) whose images/second,
 * test MSE and peak memory are compared side by side with the PyTorch script {@code bench/peer/cae_peer.py},
 * measured the same way, by {@code bench/compare.sh}. See {@code bench/README.md}.
 */
package org.cae4j.bench;
