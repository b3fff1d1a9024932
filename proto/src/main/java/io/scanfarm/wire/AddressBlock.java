package io.scanfarm.wire;

/**
 * An IPv4 address or CIDR block as carried in jobs and allowlists ({@code 198.18.0.0/15}, {@code 127.0.0.1}),
 * with addresses as unsigned 32-bit values in a long.
 */
public record AddressBlock(long first, int prefix) {

    public static AddressBlock parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        int prefix = 32;
        if (slash >= 0) {
            String bits = s.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 2 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be a number from 0 to 32");
            }
            prefix = Integer.parseInt(bits);
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be from 0 to 32");
            }
            s = s.substring(0, slash);
        }
        long addr = address(s, text);
        long mask = mask(prefix);
        return new AddressBlock(addr & mask, prefix);
    }

    /** Parses a dotted quad strictly: four decimal octets 0-255. */
    public static long address(String s, String context) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + context + "' is not an IPv4 address (four numbers 0-255 separated by dots)");
        }
        long a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + context + "' is not an IPv4 address (four numbers 0-255 separated by dots)");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("'" + context + "': " + v + " is not an octet (0-255)");
            }
            a = (a << 8) | v;
        }
        return a;
    }

    public static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public long last() {
        return first + size() - 1;
    }

    public boolean contains(long address) {
        return (address & mask(prefix)) == first;
    }

    public static String text(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    @Override
    public String toString() {
        return prefix == 32 ? text(first) : text(first) + "/" + prefix;
    }
}
