package org.cae4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/** Small helpers the analysis commands share: default output folders and comma-separated option lists. */
final class Outputs {
    private Outputs() {}

    /** {@code given}, or {@code runs/<kind>-<date>-<time>}. */
    static Path folder(Path given, String kind) {
        return given != null ? given : Path.of("runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** v to 3 significant digits without trailing zeros: 0.001, 1e-04 → {@code 1e-4}, 0.5. */
    static String num(double v) {
        if (v == 0 || !Double.isFinite(v)) return Double.toString(v);
        String t = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toString();
        return t.replace("E", "e").replace("e+", "e");
    }

    /** The comma-separated values of an option, each parsed; a usage error naming the option and the bad item. */
    static <T> List<T> list(CommandLine cl, String option, String value, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String t = item.trim();
            try {
                if (t.isEmpty()) throw new IllegalArgumentException("empty item");
                out.add(parse.apply(t));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "invalid value for " + option + ": '" + t + "' in '" + value + "' ("
                        + (e instanceof NumberFormatException ? "not a number" : e.getMessage()) + ")");
            }
        }
        return out;
    }
}
