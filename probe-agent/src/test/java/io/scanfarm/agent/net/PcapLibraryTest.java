package io.scanfarm.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PcapLibraryTest {

    private static final String LIB = "org.pcap4j.core.pcapLibName";
    private static final String JNA = "jna.platform.library.path";
    private String libBefore;
    private String jnaBefore;

    @BeforeEach
    void clear() {
        libBefore = System.getProperty(LIB);
        jnaBefore = System.getProperty(JNA);
        System.clearProperty(LIB);
        System.clearProperty(JNA);
    }

    @AfterEach
    void restore() {
        restore(LIB, libBefore);
        restore(JNA, jnaBefore);
    }

    @Test
    void pointsPcap4jAtTheLibraryAndJnaAtItsDirectory() {
        String error = PcapLibrary.configure();
        Assumptions.assumeTrue(error == null, "skipped: " + error);
        Path found = Path.of(System.getProperty(LIB));
        // JNA, given its platform path, does not run `ldconfig -p` to learn one as it first loads a library.
        assertEquals(found.getParent().toString(), System.getProperty(JNA));
    }

    @Test
    void aLibraryTheUserNamedGivesJnaItsDirectory() {
        System.setProperty(LIB, "/opt/pcap/lib/libpcap.so.1");
        assertEquals(null, PcapLibrary.configure());
        assertEquals("/opt/pcap/lib/libpcap.so.1", System.getProperty(LIB), "the user's choice stays");
        assertEquals("/opt/pcap/lib", System.getProperty(JNA));
        System.setProperty(LIB, "pcap"); // a bare name: JNA must search, so no path is given
        System.clearProperty(JNA);
        assertEquals(null, PcapLibrary.configure());
        assertEquals(null, System.getProperty(JNA));
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
