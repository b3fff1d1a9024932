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

    private static final int RTF_UP = 0x0001;
    private static final int RTF_REJECT = 0x0200;

    private final List<Entry> entries;
    private final List<NetworkInterface> interfaces;

    private RouteTable(List<Entry> entries, List<NetworkInterface> interfaces) {
        this.entries = entries;
        this.interfaces = interfaces;
    }

    public static RouteTable load() throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/net/route")), Collections.list(NetworkInterface.getNetworkInterfaces()));
    }

    /** The table in {@code lines} (the format of /proc/net/route, header line first) over these interfaces. */
    static RouteTable parse(List<String> lines, List<NetworkInterface> interfaces) {
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
        return new RouteTable(entries, interfaces);
    }

    /** The path to {@code target}, or null when no route leads there. */
    public Path4 lookup(int target) throws SocketException {
        if ((target >>> 24) == 127 || ownAddress(target)) {
            return new Path4(loopbackName(), target, target, true, true);
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

    private boolean ownAddress(int a) throws SocketException {
        for (NetworkInterface ni : interfaces) {
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address v4 && toInt(v4) == a) {
                    return true;
                }
            }
        }
        return false;
    }

    private String loopbackName() throws SocketException {
        for (NetworkInterface ni : interfaces) {
            if (ni.isLoopback()) {
                return ni.getName();
            }
        }
        return "lo";
    }

    /** Our address on an interface, preferring one on the same subnet as {@code near}. */
    private Integer addressOn(String iface, int near) throws SocketException {
        NetworkInterface ni = NetworkInterface.getByName(iface);
        if (ni == null) {
            return null;
        }
        Integer any = null;
        for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address v4) {
                int a = toInt(v4);
                int prefix = ia.getNetworkPrefixLength();
                int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
                if ((a & mask) == (near & mask)) {
                    return a;
                }
                if (any == null) {
                    any = a;
                }
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
