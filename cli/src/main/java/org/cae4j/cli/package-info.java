/**
 * The {@code cae4j} command line (picocli): {@code train} and {@code reconstruct}. Every option is validated
 * before data is read or a model is built, and a user mistake ends in one line naming what was wrong and exit
 * code 2; this is the only package that calls {@code System.exit}.
 */
package org.cae4j.cli;
