package io.scanfarm.agent.net;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The capture ring's memory: libpcap's slots must fit two to a page, or the ring takes twice its size. */
class PcapLinkRingTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void theCaptureRingIsAboutTheSizeAskedFor() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: needs root to open a capture on loopback (CI runs as root)");
        assertNull(PcapLibrary.configure());
        long before = socketMappingBytes();
        try (PcapLink link = PcapLink.open("lo", "icmp and dst host 127.0.0.77", p -> { }, a -> { })) {
            long ring = socketMappingBytes() - before;
            // The two handles' rings: the sender's 64 KiB and the capture's 32 MiB, plus part of a page per slot
            // that does not fill one; with slots a page each (a 2,048-byte snaplen) this was 63 MB.
            assertTrue(ring >= 32 * MIB && ring <= 36 * MIB, "ring mappings of " + ring / 1024 + " KiB");
        }
        assertTrue(socketMappingBytes() <= before, "the rings are unmapped on close");
    }

    /** Bytes of this process's memory mapped from sockets (packet rings), per /proc/self/smaps. */
    private static long socketMappingBytes() throws Exception {
        long kib = 0;
        boolean socket = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                socket = line.contains("socket:[");
            } else if (socket && line.startsWith("Size:")) {
                kib += Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return kib * 1024;
    }
}
