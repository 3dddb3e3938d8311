package org.etat.app.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection with blocking I/O, as load generators such as wrk use: a fixed
 * set of connections, each driven by its own thread. It costs the shared 2-core machine a few
 * microseconds per request, where java.net.http's asynchronous client spent a thread per response
 * and opened a connection per request in flight, so the benchmark measured its client as much as the
 * server. It speaks just enough HTTP for the benchmark: POST with a body, and a response with
 * Content-Length or chunked encoding.
 */
final class LoadClient implements AutoCloseable {

    /** A response: status and body; the body only where asked for. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_HEADER_LINE = 8_192;

    private final InetSocketAddress address;
    private final String hostHeader;
    private final String authorization;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    /** Requests sent again because the connection had been closed. */
    private int retries;

    LoadClient(String host, int port, String authorization) {
        this.address = new InetSocketAddress(host, port);
        this.hostHeader = host + ":" + port;
        this.authorization = authorization;
    }

    /**
     * Sends one POST and reads its response. A connection the server had closed is reopened once and
     * the request sent again ({@link #retries}); the Idempotency-Key makes that safe.
     */
    Response post(String path, byte[] body, String idempotencyKey) throws IOException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nIdempotency-Key: " + idempotencyKey
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; ; attempt++) {
            try {
                if (socket == null) {
                    open();
                }
                out.write(head);
                out.write(body);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
                retries++;
            }
        }
    }

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(120_000);
        s.connect(address, 10_000);
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                b.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
            body = b.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("connection closed inside a response body");
            }
        } else {
            throw new IOException("response without Content-Length or chunked encoding");
        }
        if (close) {
            close();
        }
        return new Response(status, body);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                b.append((char) c);
            }
            if (b.length() > MAX_HEADER_LINE) {
                throw new IOException("header line longer than " + MAX_HEADER_LINE);
            }
        }
        return b.toString();
    }

    int retries() {
        return retries;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
        out = null;
        in = null;
    }
}
