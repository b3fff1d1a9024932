package io.scanfarm.cli;

import java.util.ArrayList;
import java.util.List;

/** A list of IPv4 CIDR blocks a scan may touch; empty means no limit. */
final class Scope {

    private final List<long[]> blocks = new ArrayList<>();
    private final String text;

    Scope(String spec) {
        this.text = spec == null ? "" : spec.strip();
        if (text.isEmpty()) {
            return;
        }
        for (String part : text.split(",")) {
            String p = part.strip();
            int slash = p.indexOf('/');
            int bits = slash < 0 ? 32 : parseBits(p.substring(slash + 1), p);
            long addr = parseAddress(slash < 0 ? p : p.substring(0, slash), p);
            long mask = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
            blocks.add(new long[] {addr & mask, mask});
        }
    }

    boolean limited() {
        return !blocks.isEmpty();
    }

    boolean allows(String dotted) {
        if (blocks.isEmpty()) {
            return true;
        }
        long a = parseAddress(dotted, dotted);
        for (long[] b : blocks) {
            if ((a & b[1]) == b[0]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    static long parseAddress(String s, String context) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new UserError("'" + context + "' is not an IPv4 address or CIDR block");
        }
        long a = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new UserError("'" + context + "' is not an IPv4 address or CIDR block");
            }
            if (v < 0 || v > 255 || p.isEmpty()) {
                throw new UserError("'" + context + "' is not an IPv4 address or CIDR block");
            }
            a = (a << 8) | v;
        }
        return a;
    }

    private static int parseBits(String s, String context) {
        try {
            int bits = Integer.parseInt(s);
            if (bits >= 0 && bits <= 32) {
                return bits;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UserError("'" + context + "': the prefix length must be 0 to 32");
    }
}
