package io.scanfarm.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How to reach an IPv4 address from this host, from the kernel's table (/proc/net/route) and the interfaces'
 * addresses: the interface, our source address on it, and the next hop (the target itself when on-link).
 */
public final class RouteTable {

    /** A resolved path: local delivery (loopback or one of our own addresses), on-link, or via a gateway. */
    public record Path4(String iface, int source, int nextHop, boolean local, boolean onLink) {
    }

    /** A route; a rejecting one (blackhole, unreachable, prohibit) says the kernel would send nothing there. */
    private record Entry(String iface, int dest, int gateway, int mask, int metric, boolean reject) {
    }

    /** One IPv4 address of an interface (name, address, prefix length), as it was when the table was read. */
    record IfAddress(String iface, int address, int prefix) {
    }

    private static final int RTF_UP = 0x0001;
    private static final int RTF_REJECT = 0x0200;

    private final List<Entry> entries;
    /**
     * The interfaces' IPv4 addresses, read once with the routes: a lookup runs for every host a scan starts, and
     * asking the JDK for an interface by name enumerates every interface through the kernel each time.
     */
    private final List<IfAddress> addresses;
    private final String loopback;

    private RouteTable(List<Entry> entries, List<IfAddress> addresses, String loopback) {
        this.entries = entries;
        this.addresses = addresses;
        this.loopback = loopback;
    }

    public static RouteTable load() throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/net/route")), Collections.list(NetworkInterface.getNetworkInterfaces()));
    }

    /** The table in {@code lines} (the format of /proc/net/route, header line first) over these interfaces. */
    static RouteTable parse(List<String> lines, List<NetworkInterface> interfaces) throws SocketException {
        List<IfAddress> addresses = new ArrayList<>();
        String loopback = null; // the first loopback interface, else "lo"
        for (NetworkInterface ni : interfaces) {
            if (loopback == null && ni.isLoopback()) {
                loopback = ni.getName();
            }
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address v4) {
                    addresses.add(new IfAddress(ni.getName(), toInt(v4), ia.getNetworkPrefixLength()));
                }
            }
        }
        return of(lines, addresses, loopback == null ? "lo" : loopback);
    }

    /** The table in {@code lines} over these interface addresses, {@code loopback} naming the loopback interface. */
    static RouteTable of(List<String> lines, List<IfAddress> addresses, String loopback) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            int flags = Integer.parseInt(f[3], 16);
            if ((flags & RTF_UP) == 0) {
                continue; // not up
            }
            entries.add(new Entry(f[0], swap(f[1]), swap(f[2]), swap(f[7]), Integer.parseInt(f[6]), (flags & RTF_REJECT) != 0));
        }
        return new RouteTable(entries, List.copyOf(addresses), loopback);
    }

    /** The path to {@code target}, or null when no route leads there. */
    public Path4 lookup(int target) {
        if ((target >>> 24) == 127 || ownAddress(target)) {
            return new Path4(loopback, target, target, true, true);
        }
        Entry best = null;
        for (Entry e : entries) {
            if ((target & e.mask) == e.dest && (best == null || Integer.compareUnsigned(e.mask, best.mask) > 0
                    || (e.mask == best.mask && e.metric < best.metric))) {
                best = e;
            }
        }
        if (best == null || best.reject) {
            return null; // a rejecting route must not fall through to a wider one (the default route, say)
        }
        Integer src = addressOn(best.iface, best.gateway != 0 ? best.gateway : target);
        if (src == null) {
            return null;
        }
        return new Path4(best.iface, src, best.gateway != 0 ? best.gateway : target, false, best.gateway == 0);
    }

    private boolean ownAddress(int a) {
        for (IfAddress ia : addresses) {
            if (ia.address == a) {
                return true;
            }
        }
        return false;
    }

    /** Our address on an interface, preferring one on the same subnet as {@code near}; null when it has none. */
    private Integer addressOn(String iface, int near) {
        Integer any = null;
        for (IfAddress ia : addresses) {
            if (!ia.iface.equals(iface)) {
                continue;
            }
            int mask = ia.prefix == 0 ? 0 : -1 << (32 - ia.prefix);
            if ((ia.address & mask) == (near & mask)) {
                return ia.address;
            }
            if (any == null) {
                any = ia.address;
            }
        }
        return any;
    }

    public static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** /proc/net/route prints addresses as little-endian hex. */
    private static int swap(String hex) {
        return Integer.reverseBytes((int) Long.parseLong(hex, 16));
    }
}
