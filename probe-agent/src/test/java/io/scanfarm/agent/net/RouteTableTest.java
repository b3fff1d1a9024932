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
}
