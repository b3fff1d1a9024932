package io.scanfarm.agent.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Points pcap4j at the system's libpcap before it loads. Debian's runtime package (libpcap0.8) installs only
 * libpcap.so.0.8 / .so.1.x, while JNA looks for libpcap.so, which only the -dev package provides. It also gives
 * JNA its platform library path (libpcap's directory), which JNA otherwise learns by running {@code ldconfig -p}
 * as it first loads a library: a process started between an agent's job and its first probe.
 */
public final class PcapLibrary {

    private static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final String JNA_PLATFORM_PATH = "jna.platform.library.path";
    private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib");
    private static final List<String> NAMES = List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8");

    private PcapLibrary() {
    }

    /** Sets pcap4j's library path when not set yet; returns an error sentence when no libpcap is found. */
    public static String configure() {
        String given = System.getProperty(PROPERTY);
        if (given != null) {
            Path parent = Path.of(given).getParent(); // null for a bare name such as "pcap", which JNA searches for
            if (parent != null) {
                platformPath(parent.toString());
            }
            return null;
        }
        for (String dir : DIRS) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.exists(p)) {
                    System.setProperty(PROPERTY, p.toString());
                    platformPath(dir);
                    return null;
                }
            }
        }
        return "libpcap is not installed (Debian/Ubuntu: apt-get install libpcap0.8)";
    }

    private static void platformPath(String dir) {
        if (System.getProperty(JNA_PLATFORM_PATH) == null) {
            System.setProperty(JNA_PLATFORM_PATH, dir);
        }
    }
}
