package org.cae4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static JsonException parseError(String text) {
        return assertThrows(JsonException.class, () -> Json.parse(text), () -> "accepted " + text);
    }

    private static void assertMessageContains(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }

    // ------------------------------------------------------------------ values and types

    @Test
    void parsesEachValueToTheDocumentedJavaType() {
        Object v = Json.parse(" {\"i\": 7, \"d\": -2.5, \"s\": \"x\", \"t\": true, \"f\": false, \"n\": null,"
                + " \"a\": [1, [2]], \"o\": {}}\n");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(7L, assertInstanceOf(Long.class, m.get("i")));
        assertEquals(-2.5, assertInstanceOf(Double.class, m.get("d")));
        assertEquals("x", m.get("s"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, List.of(2L)), assertInstanceOf(ArrayList.class, m.get("a")));
        assertEquals(Map.of(), m.get("o"));
    }

    @Test
    void objectKeepsDocumentOrder() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3,\"b\":4}");
        assertEquals(List.of("z", "a", "m", "b"), new ArrayList<>(m.keySet()));
    }

    @Test
    void integersAreLongsUpToTheLongRange() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(0L, Json.parse("-0"));
        assertMessageContains(parseError("9223372036854775808"), "does not fit in 64 bits");
        assertMessageContains(parseError("[-9223372036854775809]"), "JSON error at byte 1: integer -9223372036854775809");
    }

    @Test
    void fractionOrExponentGivesDouble() {
        assertEquals(100.0, assertInstanceOf(Double.class, Json.parse("1e2")));
        assertEquals(100.0, Json.parse("1E+2"));
        assertEquals(-0.0005, Json.parse("-0.5e-3"));
        assertEquals(2.0, assertInstanceOf(Double.class, Json.parse("2.0")));
        assertEquals(0.0, Json.parse("1e-400"));   // underflow to zero is representable, overflow is not
    }

    @Test
    void doubleOverflowIsRejected() {
        assertMessageContains(parseError("1e400"), "number 1e400 is beyond the range of a double");
        assertMessageContains(parseError("-1.5E309"), "beyond the range of a double");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-", "-a", "1.", ".5", "+1", "1e", "1e+", "NaN", "Infinity", "-Infinity", "0x10", "1.e5"})
    void malformedNumbersAreRejected(String text) {
        parseError(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tru", "nul", "True", "NULL", "falsey", "'a'", "undefined"})
    void onlyExactLiteralsAreAccepted(String text) {
        parseError(text);
    }

    @Test
    void emptyInputIsRejected() {
        assertEquals("JSON error at byte 0: expected a value, got end of input", parseError("").getMessage());
        assertEquals("JSON error at byte 3: expected a value, got end of input", parseError(" \n\t").getMessage());
    }

    // ------------------------------------------------------------------ strings

    @Test
    void allEscapesDecode() {
        assertEquals("\"\\/\b\f\n\r\tA\u00e9\u20ac",
                Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\""));
    }

    @Test
    void surrogatePairEscapeDecodesToOneCodePoint() {
        String s = (String) Json.parse("\"\\ud83d\\ude00\"");
        assertEquals(1, s.codePointCount(0, s.length()));
        assertEquals(0x1F600, s.codePointAt(0));
    }

    @Test
    void rawUtf8TextDecodes() {
        byte[] bytes = "{\"caf\u00e9\": \"\ud83d\ude00 \u4e2d\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("caf\u00e9", "\ud83d\ude00 \u4e2d"), Json.parse(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\ude00\"", "\"\\ud83dx\"", "\"\\ud83d\\ud83d\""})
    void unpairedSurrogateEscapesAreRejected(String text) {
        assertMessageContains(parseError(text), "surrogate");
    }

    @Test
    void unpairedRawSurrogateInStringIsRejected() {
        assertMessageContains(parseError("\"a\ud800b\""), "unpaired surrogate U+D800");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\x\"", "\"\\'\"", "\"\\U0041\"", "\"\\u12G4\"", "\"\\u12\"", "\"\\u00e\"", "\"\\"})
    void badEscapesAreRejected(String text) {
        parseError(text);
    }

    @Test
    void badEscapeMessageNamesTheEscape() {
        assertEquals("JSON error at byte 3: invalid escape \\x; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                parseError("\"ab\\x\"").getMessage());
        assertEquals("JSON error at byte 1: \\u escape needs 4 hex digits, got \"12G4\"",
                parseError("\"\\u12G4\"").getMessage());
    }

    @Test
    void rawControlCharactersInStringsAreRejected() {
        assertEquals("JSON error at byte 2: control character U+000A in string must be escaped",
                parseError("\"a\nb\"").getMessage());
        assertMessageContains(parseError("\"\u0000\""), "U+0000");
        assertMessageContains(parseError("\"\t\""), "U+0009");
        assertEquals("\u007f", Json.parse("\"\u007f\""));   // DEL is not a control character in JSON
    }

    @Test
    void unterminatedStringIsRejected() {
        assertEquals("JSON error at byte 1: unterminated string", parseError("[\"abc").getMessage());
    }

    @Test
    void invalidUtf8BytesAreRejectedAtTheirOffset() {
        byte[] bad = {'"', 'a', (byte) 0xC3, 0x28, '"'};
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad));
        assertEquals(2, e.position());
        assertMessageContains(e, "invalid UTF-8");
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertThrows(JsonException.class, () -> Json.parse(overlong));
        byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThrows(JsonException.class, () -> Json.parse(encodedSurrogate));
    }

    // ------------------------------------------------------------------ structure

    @Test
    void errorPositionCountsUtf8Bytes() {
        // { " é(2 bytes) " : space 1 , } -> the '}' is byte 9, though it is char 8
        JsonException e = parseError("{\"\u00e9\": 1,}");
        assertEquals(9, e.position());
        assertEquals("JSON error at byte 9: expected a string key, got '}'", e.getMessage());
    }

    @Test
    void missingSeparatorsAreNamed() {
        assertEquals("JSON error at byte 7: expected ',' or '}', got '\"'", parseError("{\"a\":1 \"b\":2}").getMessage());
        assertEquals("JSON error at byte 3: expected ',' or ']', got '2'", parseError("[1 2]").getMessage());
        assertEquals("JSON error at byte 4: expected ':' after object key, got '1'", parseError("{\"a\"1}").getMessage());
        assertEquals("JSON error at byte 1: expected a string key or '}', got 'a'", parseError("{a:1}").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,]", "{\"a\":1,}", "[,1]", "[", "{", "{\"a\"", "{\"a\":", "]", "}", "{\"a\":1}}",
            "// c\n1", "/* c */ 1"})
    void structuralErrorsAreRejected(String text) {
        parseError(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "1 2", "[1]]", "\"a\"\"b\"", "true false", "null,", "{}\u0000"})
    void trailingGarbageIsRejected(String text) {
        assertMessageContains(parseError(text), "expected end of input after the JSON value");
    }

    @Test
    void trailingWhitespaceIsAllowedButOnlyJsonWhitespace() {
        assertEquals(1L, Json.parse("1 \t\r\n"));
        parseError("1\u00a0");
        parseError("\ufeff1");   // no byte order mark
    }

    @Test
    void duplicateKeysAreRejected() {
        assertEquals("JSON error at byte 7: duplicate object key \"a\"", parseError("{\"a\":1,\"a\":2}").getMessage());
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndOneDeeperIsNot() {
        int d = Json.MAX_DEPTH;
        Object deep = Json.parse("[".repeat(d) + "]".repeat(d));
        for (int k = 1; k < d; k++) deep = ((List<?>) deep).get(0);
        assertEquals(List.of(), deep);
        assertEquals("JSON error at byte 64: nesting deeper than 64 levels",
                parseError("[".repeat(d + 1) + "]".repeat(d + 1)).getMessage());
        assertMessageContains(parseError("{\"a\":".repeat(d + 1) + "1" + "}".repeat(d + 1)), "nesting deeper than 64");
    }

    @Test
    void hugeNestingFailsCleanlyWithoutStackOverflow() {
        assertMessageContains(parseError("[".repeat(1_000_000)), "nesting deeper than 64");
    }

    // ------------------------------------------------------------------ writer

    @Test
    void writeIsCompactAndKeepsMapOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", List.of(true, false));
        m.put("n", null);
        m.put("d", 2.5);
        m.put("s", new int[] {16, 1, 5, 5});
        m.put("o", Map.of());
        assertEquals("{\"z\":1,\"a\":[true,false],\"n\":null,\"d\":2.5,\"s\":[16,1,5,5],\"o\":{}}", Json.write(m));
    }

    @Test
    void writeEscapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001f\u007f\u00e9\ud83d\ude00\"",
                Json.write("a\"b\\c/\n\r\t\b\f\u0001\u001f\u007f\u00e9\ud83d\ude00"));
    }

    @Test
    void everyCodePointRoundTripsThroughWriteAndParse() {
        StringBuilder sb = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x10000 ? 1 : 97)) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            sb.appendCodePoint(cp);
        }
        String s = sb.toString();
        String json = Json.write(s);
        assertEquals(s, Json.parse(json));
        assertEquals(s, Json.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void numbersRoundTripExactly() {
        for (double d : new double[] {0.1, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE, 1.0e21, 123456.789, -0.0}) {
            assertEquals(d, Json.parse(Json.write(d)), () -> "double " + d);
        }
        for (long x : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(x, Json.parse(Json.write(x)));
        }
        assertEquals(0.1f, ((Double) Json.parse(Json.write(0.1f))).floatValue());
    }

    @Test
    void nestedStructureRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", List.of(Map.of("type", "Conv2d", "in", 1L, "out", 16L), Map.of("type", "ReLU")));
        m.put("lr", 1e-3);
        m.put("name", "cae \"seed\"\n");
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void writeRejectsWhatJsonCannotHold() {
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN)), "finite");
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.POSITIVE_INFINITY)));
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "a"))),
                "keys must be strings, got Integer 1");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Json.write(new Object())),
                "cannot write java.lang.Object");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Json.write("a\ud800")),
                "unpaired surrogate U+D800 at index 1");
    }

    @Test
    void writeRejectsACycleInsteadOfOverflowingTheStack() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> Json.write(cycle)),
                "deeper than 64");
    }

    @Test
    void writtenNestingAtTheLimitIsReadable() {
        Object v = List.of();
        for (int k = 1; k < Json.MAX_DEPTH; k++) v = List.of(v);
        assertEquals(v, Json.parse(Json.write(v)));
        Object deeper = List.of(v);
        assertThrows(IllegalArgumentException.class, () -> Json.write(deeper));
    }
}
