package io.scanfarm.matcher.match;

/**
 * C's {@code strtol(s, &end, 16)} as glibc does it on a 64-bit long: leading white space, an optional sign and
 * {@code 0x}, saturation on overflow, and {@code end} left at the start when nothing was converted. Nmap's
 * expression matchers (both generations) decide "numeric" and read numbers with it, so its corners decide match
 * results.
 */
public final class HexStrtol {

    private HexStrtol() {
    }

    /** Packs the converted value's low 32 bits (Nmap stores it in an unsigned int) and the end index. */
    public static long parse(CharSequence s, int from) {
        int n = s.length();
        int i = from;
        while (i < n && isCSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i + 2 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && digit(s.charAt(i + 2)) >= 0) {
            i += 2;
        }
        int digitsStart = i;
        long acc = 0;
        boolean overflow = false;
        while (i < n && digit(s.charAt(i)) >= 0) {
            if (!overflow) {
                if (Long.compareUnsigned(acc, 0x0FFF_FFFF_FFFF_FFFFL) > 0) {
                    overflow = true;
                } else {
                    acc = (acc << 4) | digit(s.charAt(i));
                }
            }
            i++;
        }
        if (i == digitsStart) {
            return pack(0, from);
        }
        long value;
        if (negative) {
            value = overflow || Long.compareUnsigned(acc, Long.MIN_VALUE) > 0 ? Long.MIN_VALUE : -acc;
        } else {
            value = overflow || acc < 0 ? Long.MAX_VALUE : acc;
        }
        return pack((int) value, i);
    }

    public static int value(long packed) {
        return (int) (packed >>> 32);
    }

    public static int end(long packed) {
        return (int) packed;
    }

    private static long pack(int value, int end) {
        return ((long) value << 32) | (end & 0xFFFF_FFFFL);
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
