package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cae4j.io.AtomicFile;
import org.cae4j.io.Json;

/**
 * {@code report.html}: one self-contained page of a run folder (CSS inline, every picture embedded as a
 * {@code data:image/png;base64} URI, no script, nothing fetched), so the file alone can be mailed or archived:
 * the settings from {@code run.json}, the metrics table from {@code metrics.csv}, and every PNG of the folder.
 */
final class Report {
    static final String FILE = "report.html";

    /** What each picture of a run shows; pictures not listed here are shown under their file name alone. */
    static final Map<String, String> CAPTIONS = new LinkedHashMap<>();

    static {
        CAPTIONS.put("loss.png", "Training loss and test MSE per epoch");
        CAPTIONS.put("reconstructions.png", "The first test images above their reconstructions");
        CAPTIONS.put("filters.png", "The first learned layer's filters");
        CAPTIONS.put("activations.png", "The feature maps of one test image");
        CAPTIONS.put("latent.png", "The codes of test images projected on their first two principal components");
        CAPTIONS.put("samples.png", "Images decoded from codes drawn from the prior");
        CAPTIONS.put("manifold.png", "The decoded 2-d latent space");
    }

    private static final String CSS = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;"
            + "margin:2em auto;max-width:1100px;padding:0 1em;background:#fff}h1{font-size:1.6em;margin:0 0 .2em}"
            + "h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}"
            + ".muted{color:#6b6b6b}table{border-collapse:collapse;font-size:.92em}"
            + "td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}"
            + "th{background:#f3f6fa}td.num{text-align:right;font-variant-numeric:tabular-nums}"
            + "code{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}"
            + "figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #e2e2e2}"
            + "figcaption{color:#444;margin-top:.3em}";

    private Report() {}

    /** Writes {@code dir/report.html} from what the folder holds now. */
    static void write(Path dir, String title) throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"muted\">Run folder <code>")
                .append(esc(dir.toAbsolutePath().normalize().toString())).append("</code></p>\n");

        Path settings = dir.resolve(RunSettings.FILE);
        h.append("<h2>Settings</h2>\n");
        if (Files.isRegularFile(settings)) {
            Object parsed = Json.parse(Files.readAllBytes(settings));
            h.append("<table><tr><th>setting</th><th>value</th></tr>\n");
            if (parsed instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
                    Object v = e.getValue();
                    String text = v == null ? "" : v instanceof String ? (String) v : Json.write(v);
                    h.append("<tr><td>").append(esc(String.valueOf(e.getKey()))).append("</td><td><code>").append(esc(text))
                            .append("</code></td></tr>\n");
                }
            }
            h.append("</table>\n");
        } else {
            h.append("<p class=\"muted\">no ").append(RunSettings.FILE).append("</p>\n");
        }

        Path metrics = dir.resolve("metrics.csv");
        h.append("<h2>Metrics</h2>\n");
        if (Files.isRegularFile(metrics)) {
            List<String> rows = Files.readAllLines(metrics);
            h.append("<table>\n");
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).isBlank()) continue;
                h.append("<tr>");
                for (String cell : rows.get(i).split(",", -1)) {
                    h.append(i == 0 ? "<th>" : "<td class=\"num\">").append(esc(cell)).append(i == 0 ? "</th>" : "</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        } else {
            h.append("<p class=\"muted\">no metrics.csv</p>\n");
        }

        h.append("<h2>Pictures</h2>\n");
        for (Path png : pictures(dir)) {
            String name = png.getFileName().toString();
            h.append("<figure><img alt=\"").append(esc(name)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"><figcaption><code>")
                    .append(esc(name)).append("</code>").append(CAPTIONS.containsKey(name) ? ": " + esc(CAPTIONS.get(name)) : "")
                    .append("</figcaption></figure>\n");
        }
        h.append("</body></html>\n");
        AtomicFile.writeString(dir.resolve(FILE), h.toString());
    }

    /** The folder's PNG files: those with a caption in caption order, then the rest by name. */
    static List<Path> pictures(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(dir)) {
            all = s.filter(p -> p.getFileName().toString().endsWith(".png") && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        List<Path> out = new ArrayList<>();
        for (String known : CAPTIONS.keySet()) {
            for (Path p : all) if (p.getFileName().toString().equals(known)) out.add(p);
        }
        for (Path p : all) if (!CAPTIONS.containsKey(p.getFileName().toString())) out.add(p);
        return out;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
