package org.cae4j.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A JDK HttpServer on 127.0.0.1 that serves scripted answers per path; no test reaches further than this. */
final class LocalHttp implements AutoCloseable {
    /** One scripted answer: status, body, and how many body bytes to actually send before closing (-1: all). */
    record Answer(int status, byte[] body, int sendBytes) {
        static Answer ok(byte[] body) { return new Answer(200, body, -1); }
        static Answer status(int s) { return new Answer(s, new byte[0], -1); }
        static Answer cut(byte[] body, int send) { return new Answer(200, body, send); }
    }

    private final HttpServer server;
    private final Map<String, List<Answer>> script = new ConcurrentHashMap<>();
    /** Paths requested, in order, with the Range header if any. */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    LocalHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The answers for {@code path}, used in order; the last one repeats. */
    LocalHttp on(String path, Answer... answers) {
        script.put(path, new ArrayList<>(List.of(answers)));
        return this;
    }

    URI base(String dir) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + dir);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(path + (range == null ? "" : " Range: " + range));
        List<Answer> list = script.get(path);
        Answer a;
        if (list == null) a = Answer.status(404);
        else synchronized (list) { a = list.size() > 1 ? list.remove(0) : list.get(0); }
        if (a.body.length == 0) {
            ex.sendResponseHeaders(a.status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(a.status, a.body.length);
        OutputStream out = ex.getResponseBody();
        int n = a.sendBytes < 0 ? a.body.length : a.sendBytes;
        out.write(a.body, 0, n);
        out.flush();
        // for a body cut short, closing the exchange drops the connection before the announced length
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
