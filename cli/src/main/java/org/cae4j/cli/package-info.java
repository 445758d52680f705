/**
 * The {@code cae4j} command line (picocli): {@code train} and {@code reconstruct}; {@code encode}, {@code probe},
 * {@code score}, {@code anomaly-benchmark} and {@code latent}, which use what a model learned; and the commands
 * that describe a model. Every option is validated before data is read or a model is built, and a user mistake
 * ends in one line naming what was wrong and exit code 2; this is the only package that calls
 * {@code System.exit}. Charts are drawn with XChart ({@code Charts}); a training run's {@code report.html} is
 * written by {@code Report}.
 */
package org.cae4j.cli;
