package io.scanfarm.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Route lookup over a /proc/net/route text (nothing is sent): longest prefix wins, and a rejecting route rejects. */
class RouteTableTest {

    private static final String HEADER = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT";

    /** A default route via 127.0.0.2 on the loopback interface (every machine has it and its address). */
    private static final String DEFAULT_VIA_LO = "lo\t00000000\t0200007F\t0003\t0\t0\t0\t00000000\t0\t0\t0";
    /** blackhole 198.18.0.0/15, as the kernel lists it: flags RTF_UP, no interface. */
    private static final String BLACKHOLE_198_18 = "*\t000012C6\t00000000\t0001\t0\t0\t0\t0000FEFF\t0\t0\t0";
    /** unreachable 198.18.0.0/15, as the kernel lists it: flags RTF_UP | RTF_REJECT, no interface. */
    private static final String UNREACHABLE_198_18 = "*\t000012C6\t00000000\t0201\t0\t0\t0\t0000FEFF\t0\t0\t0";
    /** 198.18.16.0/20 on the loopback interface, more specific than the blackhole. */
    private static final String RANGE_ON_LO = "lo\t001012C6\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0";

    private static RouteTable table(String... routes) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of(HEADER));
        lines.addAll(List.of(routes));
        return RouteTable.parse(lines, Collections.list(NetworkInterface.getNetworkInterfaces()));
    }

    /** A table over made-up interface addresses (what the kernel would list for them is not read). */
    private static RouteTable table(List<RouteTable.IfAddress> addresses, String... routes) {
        List<String> lines = new java.util.ArrayList<>(List.of(HEADER));
        lines.addAll(List.of(routes));
        return RouteTable.of(lines, addresses, "lo");
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    @Test
    void theDefaultRouteCarriesWhatNothingNarrowerClaims() throws Exception {
        RouteTable.Path4 p = table(DEFAULT_VIA_LO).lookup(ip(198, 18, 40, 1));
        assertNotNull(p);
        assertEquals("lo", p.iface());
        assertEquals(ip(127, 0, 0, 2), p.nextHop());
    }

    @Test
    void aRejectingRouteIsNoRouteAndDoesNotFallThroughToTheDefault() throws Exception {
        // With the lab down only the blackhole is left for 198.18.0.0/15: nothing may leave by the default route.
        assertNull(table(DEFAULT_VIA_LO, BLACKHOLE_198_18).lookup(ip(198, 18, 40, 1)));
        assertNull(table(BLACKHOLE_198_18, DEFAULT_VIA_LO).lookup(ip(198, 18, 16, 5)));
        assertNull(table(DEFAULT_VIA_LO, UNREACHABLE_198_18).lookup(ip(198, 18, 40, 1)));
    }

    @Test
    void aNarrowerRouteInsideTheBlackholeStillWins() throws Exception {
        RouteTable.Path4 p = table(DEFAULT_VIA_LO, BLACKHOLE_198_18, RANGE_ON_LO).lookup(ip(198, 18, 16, 5));
        assertNotNull(p);
        assertEquals("lo", p.iface());
        assertEquals(ip(198, 18, 16, 5), p.nextHop(), "on-link: the target is its own next hop");
        assertNull(table(DEFAULT_VIA_LO, BLACKHOLE_198_18, RANGE_ON_LO).lookup(ip(198, 18, 32, 5)));
    }

    /** 198.18.16.0/20 on-link on veth0, and a default route via 198.18.0.1 on eth0. */
    private static final String RANGE_ON_VETH0 = "veth0\t001012C6\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0";
    private static final String DEFAULT_VIA_ETH0 = "eth0\t00000000\t010012C6\t0003\t0\t0\t0\t00000000\t0\t0\t0";

    @Test
    void theSourceIsTheInterfacesAddressOnTheNextHopsSubnetElseItsFirst() {
        List<RouteTable.IfAddress> addresses = List.of(
                new RouteTable.IfAddress("eth0", ip(198, 19, 5, 5), 24),
                new RouteTable.IfAddress("veth0", ip(198, 19, 9, 1), 24),
                new RouteTable.IfAddress("veth0", ip(198, 18, 16, 254), 20),
                new RouteTable.IfAddress("eth0", ip(198, 18, 0, 7), 24));
        RouteTable t = table(addresses, RANGE_ON_VETH0, DEFAULT_VIA_ETH0);
        RouteTable.Path4 onLink = t.lookup(ip(198, 18, 20, 9));
        assertEquals(new RouteTable.Path4("veth0", ip(198, 18, 16, 254), ip(198, 18, 20, 9), false, true), onLink,
                "veth0's address in the target's /20, not its first one");
        RouteTable.Path4 routed = t.lookup(ip(198, 19, 200, 1));
        assertEquals(new RouteTable.Path4("eth0", ip(198, 18, 0, 7), ip(198, 18, 0, 1), false, false), routed,
                "eth0's address in the gateway's /24");
        RouteTable noSubnetMatch = table(List.of(new RouteTable.IfAddress("veth0", ip(198, 19, 9, 1), 24),
                new RouteTable.IfAddress("veth0", ip(198, 19, 9, 2), 24)), RANGE_ON_VETH0);
        assertEquals(ip(198, 19, 9, 1), noSubnetMatch.lookup(ip(198, 18, 20, 9)).source(), "none on the subnet: the first");
    }

    @Test
    void anInterfaceWithoutAnAddressIsNoPathAndOurOwnAddressIsLocal() {
        RouteTable t = table(List.of(new RouteTable.IfAddress("eth0", ip(198, 18, 0, 7), 24)), RANGE_ON_VETH0);
        assertNull(t.lookup(ip(198, 18, 20, 9)), "veth0 has no IPv4 address to send from");
        RouteTable.Path4 own = t.lookup(ip(198, 18, 0, 7));
        assertEquals(new RouteTable.Path4("lo", ip(198, 18, 0, 7), ip(198, 18, 0, 7), true, true), own);
    }
}
