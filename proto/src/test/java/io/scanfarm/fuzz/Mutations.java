package io.scanfarm.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutation of valid inputs, as coverage-guided fuzzers do it but drawn by jqwik: a valid seed and a short list of
 * edits (bit flips, boundary values, inserted, deleted, duplicated and swapped ranges, truncation; for text also
 * structural tokens and whole lines). Positions are taken modulo the input's length, so any edit applies to any
 * seed and a failing case shrinks to fewer and smaller edits. A mutant prints its seed's name and its edits.
 */
public final class Mutations {

    /** Byte values at the edges of what headers encode: nibble limits (IHL, data offset), signs, 0x45. */
    static final int[] INTERESTING_8 = {0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x08, 0x0A, 0x0F, 0x10, 0x40, 0x45,
        0x46, 0x4F, 0x50, 0x5F, 0x7F, 0x80, 0xF0, 0xFF};
    /** 16-bit values at the edges of lengths and ports: header sizes, the smallest ICMP quote, sign bit, all ones. */
    static final int[] INTERESTING_16 = {0, 1, 7, 8, 19, 20, 21, 27, 28, 36, 40, 60, 64, 576, 1500, 0x7FFF, 0x8000,
        0xFFFE, 0xFFFF};

    /** Text that changes the structure of the formats under test more than a random character would. */
    public static final List<String> STRUCTURE = List.of("(", ")", "%", "=", "|", "-", "<", ">", "#", ".", "/", ",",
        " ", "\t", "\n", "\r\n", "\r", "", "0", "00", "9", "A", "F", "x", "0x", "-1", "255", "256", "65536",
        "4294967295", "4294967296", "2147483648", "99999999999999999999", "FFFFFFFFFFFFFFFFF", "\u0000", "\u00e9",
        "\u0661", "\uFFFD", "\uD800", "OS:", "R=N", "R=Y");

    private Mutations() {
    }

    public enum ByteOp { FLIP_BIT, SET_BYTE, SET_U16, INSERT, DELETE, TRUNCATE, DUPLICATE, SWAP }

    /** One edit of a byte array; {@code at} and {@code arg} are reduced to the input's length when applied. */
    public record ByteEdit(ByteOp op, int at, int arg, byte[] data) {

        public byte[] apply(byte[] in) {
            int n = in.length;
            int p = n == 0 ? 0 : Math.floorMod(at, n);
            switch (op) {
                case FLIP_BIT -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[p] ^= (byte) (1 << Math.floorMod(arg, 8));
                    return out;
                }
                case SET_BYTE -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[p] = (byte) INTERESTING_8[Math.floorMod(arg, INTERESTING_8.length)];
                    return out;
                }
                case SET_U16 -> {
                    if (n < 2) {
                        return in;
                    }
                    byte[] out = in.clone();
                    int q = Math.floorMod(at, n - 1);
                    int v = INTERESTING_16[Math.floorMod(arg, INTERESTING_16.length)];
                    out[q] = (byte) (v >>> 8);
                    out[q + 1] = (byte) v;
                    return out;
                }
                case INSERT -> {
                    int q = Math.floorMod(at, n + 1);
                    return splice(in, q, q, data);
                }
                case DELETE -> {
                    if (n == 0) {
                        return in;
                    }
                    int len = 1 + Math.floorMod(arg, Math.min(64, n - p));
                    return splice(in, p, p + len, new byte[0]);
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(in, Math.floorMod(at, n + 1));
                }
                case DUPLICATE -> {
                    if (n == 0) {
                        return in;
                    }
                    int len = 1 + Math.floorMod(arg, Math.min(64, n - p));
                    return splice(in, p, p, Arrays.copyOfRange(in, p, p + len));
                }
                default -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    int q = Math.floorMod(arg, n);
                    byte t = out[p];
                    out[p] = out[q];
                    out[q] = t;
                    return out;
                }
            }
        }

        @Override
        public String toString() {
            return op + "@" + at + (op == ByteOp.INSERT ? "+" + HexFormat.of().formatHex(data) : ":" + arg);
        }
    }

    /** A seed and the edits that made these bytes from it. */
    public record BytesMutant(String seed, List<ByteEdit> edits, byte[] bytes) {
        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 96));
            return seed + " " + edits + " -> " + bytes.length + " bytes " + hex + (bytes.length > 96 ? "..." : "");
        }
    }

    public static Arbitrary<ByteEdit> byteEdits() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<byte[]> inserted = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(24);
        return Combinators.combine(Arbitraries.of(ByteOp.class), position, Arbitraries.integers().between(0, 1 << 16), inserted)
                .as(ByteEdit::new);
    }

    /** Bytes from one of the named seeds with 1 to {@code maxEdits} edits applied in order. */
    public static Arbitrary<BytesMutant> bytes(Map<String, byte[]> seeds, int maxEdits) {
        List<String> names = new ArrayList<>(seeds.keySet());
        return Combinators.combine(Arbitraries.of(names), byteEdits().list().ofMinSize(1).ofMaxSize(maxEdits))
                .as((name, edits) -> {
                    byte[] b = seeds.get(name);
                    for (ByteEdit e : edits) {
                        b = e.apply(b);
                    }
                    return new BytesMutant(name, edits, b);
                });
    }

    public enum TextOp { INSERT, DELETE, REPLACE, TRUNCATE, DUPLICATE, DUPLICATE_LINE, DELETE_LINE, SWAP_LINES, CASE }

    /** One edit of a text; {@code at} and {@code arg} are reduced to the text's length when applied. */
    public record TextEdit(TextOp op, int at, int arg, String token) {

        public String apply(String in) {
            int n = in.length();
            int p = n == 0 ? 0 : Math.floorMod(at, n);
            switch (op) {
                case INSERT -> {
                    int q = Math.floorMod(at, n + 1);
                    return in.substring(0, q) + token + in.substring(q);
                }
                case DELETE -> {
                    return n == 0 ? in : in.substring(0, p) + in.substring(p + 1 + Math.floorMod(arg, Math.min(16, n - p)));
                }
                case REPLACE -> {
                    return n == 0 ? token : in.substring(0, p) + token + in.substring(p + 1);
                }
                case TRUNCATE -> {
                    return in.substring(0, Math.floorMod(at, n + 1));
                }
                case DUPLICATE -> {
                    if (n == 0) {
                        return in;
                    }
                    int end = p + 1 + Math.floorMod(arg, Math.min(32, n - p));
                    return in.substring(0, end) + in.substring(p, end) + in.substring(end);
                }
                case DUPLICATE_LINE -> {
                    int s = lineStart(in, p);
                    int e = lineEnd(in, p);
                    return in.substring(0, e) + "\n" + in.substring(s, e) + in.substring(e);
                }
                case DELETE_LINE -> {
                    int s = lineStart(in, p);
                    int e = Math.min(n, lineEnd(in, p) + 1);
                    return in.substring(0, s) + in.substring(e);
                }
                case SWAP_LINES -> {
                    int s1 = lineStart(in, p);
                    int e1 = lineEnd(in, p);
                    if (e1 >= n) {
                        return in;
                    }
                    int e2 = lineEnd(in, e1 + 1);
                    return in.substring(0, s1) + in.substring(e1 + 1, e2) + "\n" + in.substring(s1, e1) + in.substring(e2);
                }
                default -> {
                    if (n == 0) {
                        return in;
                    }
                    char c = in.charAt(p);
                    char f = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                    return in.substring(0, p) + f + in.substring(p + 1);
                }
            }
        }

        @Override
        public String toString() {
            return op + "@" + at + (op == TextOp.INSERT || op == TextOp.REPLACE ? "+'" + escape(token) + "'" : ":" + arg);
        }
    }

    /** A seed and the edits that made this text from it. */
    public record TextMutant(String seed, List<TextEdit> edits, String text) {
        @Override
        public String toString() {
            return seed + " " + edits + (text.length() <= 200 ? " -> '" + escape(text) + "'" : " -> " + text.length() + " chars");
        }
    }

    public static Arbitrary<TextEdit> textEdits(List<String> tokens) {
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of(tokens),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().withChars("0123456789ABCDEFabcdefx|-<>%=()./").ofMinLength(1).ofMaxLength(12));
        return Combinators.combine(Arbitraries.of(TextOp.class), Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 1 << 16), token).as(TextEdit::new);
    }

    /** Text from one of the named seeds with 1 to {@code maxEdits} edits, inserted tokens drawn from {@code tokens}. */
    public static Arbitrary<TextMutant> text(Map<String, String> seeds, List<String> tokens, int maxEdits) {
        List<String> names = new ArrayList<>(seeds.keySet());
        return Combinators.combine(Arbitraries.of(names), textEdits(tokens).list().ofMinSize(1).ofMaxSize(maxEdits))
                .as((name, edits) -> {
                    String s = seeds.get(name);
                    for (TextEdit e : edits) {
                        s = e.apply(s);
                    }
                    return new TextMutant(name, edits, s);
                });
    }

    static byte[] splice(byte[] in, int from, int to, byte[] with) {
        byte[] out = new byte[in.length - (to - from) + with.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(in, to, out, from + with.length, in.length - to);
        return out;
    }

    private static int lineStart(String s, int p) {
        int i = s.lastIndexOf('\n', Math.max(0, p - 1));
        return p == 0 ? 0 : i + 1;
    }

    private static int lineEnd(String s, int p) {
        int i = s.indexOf('\n', p);
        return i < 0 ? s.length() : i;
    }

    /** Control characters and non-ASCII as escapes, so a failing input can be pasted back into a test. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\'' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
