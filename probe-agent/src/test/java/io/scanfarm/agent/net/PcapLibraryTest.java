package io.scanfarm.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PcapLibraryTest {

    @Test
    void pointsPcap4jAtTheLibraryAndJnaAtItsDirectory() {
        String lib = System.getProperty("org.pcap4j.core.pcapLibName");
        String jna = System.getProperty("jna.platform.library.path");
        try {
            System.clearProperty("org.pcap4j.core.pcapLibName");
            System.clearProperty("jna.platform.library.path");
            String error = PcapLibrary.configure();
            Assumptions.assumeTrue(error == null, "skipped: " + error);
            Path found = Path.of(System.getProperty("org.pcap4j.core.pcapLibName"));
            // JNA, given its platform path, does not run `ldconfig -p` to learn one as it first loads a library.
            assertEquals(found.getParent().toString(), System.getProperty("jna.platform.library.path"));
        } finally {
            restore("org.pcap4j.core.pcapLibName", lib);
            restore("jna.platform.library.path", jna);
        }
    }

    @Test
    void aLibraryTheUserNamedGivesJnaItsDirectory() {
        String lib = System.getProperty("org.pcap4j.core.pcapLibName");
        String jna = System.getProperty("jna.platform.library.path");
        try {
            System.setProperty("org.pcap4j.core.pcapLibName", "/opt/pcap/lib/libpcap.so.1");
            System.clearProperty("jna.platform.library.path");
            assertEquals(null, PcapLibrary.configure());
            assertEquals("/opt/pcap/lib/libpcap.so.1", System.getProperty("org.pcap4j.core.pcapLibName"), "the user's choice stays");
            assertEquals("/opt/pcap/lib", System.getProperty("jna.platform.library.path"));
            System.setProperty("org.pcap4j.core.pcapLibName", "pcap"); // a bare name: JNA must search, so no path is given
            System.clearProperty("jna.platform.library.path");
            assertEquals(null, PcapLibrary.configure());
            assertEquals(null, System.getProperty("jna.platform.library.path"));
        } finally {
            restore("org.pcap4j.core.pcapLibName", lib);
            restore("jna.platform.library.path", jna);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
