package io.scanfarm.agent.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may send and capture raw packets: root, or CAP_NET_RAW and CAP_NET_ADMIN in effect. */
public final class Privileges {

    public static final String NEEDED =
            "raw packet access is needed: run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN "
                    + "(e.g. setcap cap_net_raw,cap_net_admin+eip on the java binary, or AmbientCapabilities in a systemd unit)";

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;

    private Privileges() {
    }

    /** Null when raw packets are allowed, else the sentence to show the user. */
    public static String missing() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    boolean ok = (caps & (1L << CAP_NET_RAW)) != 0 && (caps & (1L << CAP_NET_ADMIN)) != 0;
                    return ok ? null : NEEDED;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or no /proc: let opening the capture device decide
            return null;
        }
        return null;
    }
}
