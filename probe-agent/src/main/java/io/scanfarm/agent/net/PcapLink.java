package io.scanfarm.agent.net;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.Closeable;
import java.lang.reflect.Field;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * One interface, opened twice with libpcap (through pcap4j): a handle that injects packets and a handle that
 * captures through a BPF filter on its own thread (read with pcap_next_ex directly). It frames IPv4 packets for
 * the link (Ethernet with the next hop's MAC, Linux loopback's zero-MAC Ethernet, raw IP, BSD null) and hands
 * captured IPv4 packets and ARP replies to a sink with their capture time.
 */
public final class PcapLink implements Closeable {

    /** A captured IPv4 packet (from the IP header on) and its capture time. */
    public record Received(byte[] ip, long micros) {
    }

    /** An ARP reply: who has which MAC. */
    public record ArpReply(int ip, byte[] mac) {
    }

    private final String iface;
    private final PcapHandle sender;
    private final PcapHandle capture;
    private final DataLinkType dlt;
    private final byte[] ourMac;
    private final Pointer pcap;
    private final Object readLock = new Object();
    private final Thread reader;
    private volatile boolean running = true;

    private PcapLink(String iface, PcapHandle sender, PcapHandle capture, byte[] ourMac,
                     Consumer<Received> packets, Consumer<ArpReply> arp) {
        this.iface = iface;
        this.sender = sender;
        this.capture = capture;
        this.dlt = capture.getDlt();
        this.pcap = pcapOf(capture);
        this.ourMac = ourMac;
        this.reader = new Thread(() -> readLoop(packets, arp), "capture-" + iface);
        this.reader.setDaemon(true);
    }

    /** Opens the interface; {@code filter} is a BPF expression for the capture handle. */
    public static PcapLink open(String iface, String filter, Consumer<Received> packets, Consumer<ArpReply> arp)
            throws PcapNativeException, NotOpenException, SocketException {
        PcapHandle sender = null;
        PcapHandle capture = null;
        PcapLink link;
        try {
            sender = handle(iface, 64, 64 * 1024);
            // The sending handle is never read: let its ring take nothing (IP protocol 253 is reserved for experiments).
            sender.setFilter("ip proto 253", BpfCompileMode.OPTIMIZE);
            capture = handle(iface, SNAPLEN, RING_BYTES);
            capture.setFilter(filter, BpfCompileMode.OPTIMIZE);
            NetworkInterface ni = NetworkInterface.getByName(iface);
            byte[] mac = ni == null ? null : ni.getHardwareAddress();
            link = new PcapLink(iface, sender, capture, mac == null ? new byte[6] : mac, packets, arp);
        } catch (PcapNativeException | NotOpenException | SocketException | RuntimeException e) {
            if (capture != null) {
                capture.close();
            }
            if (sender != null) {
                sender.close();
            }
            throw e;
        }
        link.reader.start();
        return link;
    }

    /**
     * In immediate mode libpcap uses fixed-size ring slots of about the snapshot length: with a 64 KiB snaplen a
     * default 2 MiB ring holds ~30 packets and a burst of answers overflows it. Answers to our probes are small
     * (an ICMP error quotes at most a few hundred bytes; no answer to our probes comes near 1,900), so a snaplen under 2 KiB
     * and a 32 MiB ring hold thousands. A slot is the snaplen plus about 80 bytes of headers, and slots do not
     * straddle the ring's 4 KiB pages: at 2,048 each slot took a page of its own (15,769 slots in a 63 MB ring,
     * all of it resident in the agent, and ~35 ms to set up, most of it libpcap walking the ring once the filter
     * is set); at 1,900 two share a page (17,050 slots in 34 MB, ~17 ms).
     */
    private static final int SNAPLEN = 1900;
    private static final int RING_BYTES = 32 * 1024 * 1024;

    private static PcapHandle handle(String iface, int snaplen, int ring) throws PcapNativeException {
        return new PcapHandle.Builder(iface)
                .snaplen(snaplen)
                .bufferSize(ring)
                .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(5)
                .immediateMode(true)
                .build();
    }

    /** Packets the capture ring had to drop so far (libpcap's ps_drop), or -1 when unknown. */
    public long dropped() {
        try {
            return capture.getStats().getNumPacketsDropped();
        } catch (Exception e) {
            return -1;
        }
    }

    public String iface() {
        return iface;
    }

    /** Whether frames on this link carry Ethernet addresses that must be resolved (not loopback). */
    public boolean needsMac() {
        return dlt.equals(DataLinkType.EN10MB) && !Arrays.equals(ourMac, new byte[6]);
    }

    /** Sends an IPv4 packet framed for this link; {@code dstMac} is used on Ethernet (zeros on loopback). */
    public void send(byte[] ip, byte[] dstMac) throws PcapNativeException, NotOpenException {
        byte[] frame;
        if (dlt.equals(DataLinkType.EN10MB)) {
            frame = new byte[14 + ip.length];
            System.arraycopy(dstMac == null ? new byte[6] : dstMac, 0, frame, 0, 6);
            System.arraycopy(ourMac, 0, frame, 6, 6);
            frame[12] = 0x08;
            frame[13] = 0x00;
            System.arraycopy(ip, 0, frame, 14, ip.length);
        } else if (dlt.equals(DataLinkType.NULL)) {
            frame = new byte[4 + ip.length];
            frame[0] = 2; // AF_INET in host (little-endian) order
            System.arraycopy(ip, 0, frame, 4, ip.length);
        } else {
            frame = ip;
        }
        synchronized (sender) {
            sender.sendPacket(frame);
        }
    }

    /** Broadcasts an ARP request for {@code targetIp} from {@code senderIp}. */
    public void sendArpRequest(int senderIp, int targetIp) throws PcapNativeException, NotOpenException {
        byte[] f = new byte[42];
        Arrays.fill(f, 0, 6, (byte) 0xFF);
        System.arraycopy(ourMac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        f[14] = 0x00;
        f[15] = 0x01; // Ethernet
        f[16] = 0x08;
        f[17] = 0x00; // IPv4
        f[18] = 6;
        f[19] = 4;
        f[20] = 0x00;
        f[21] = 0x01; // request
        System.arraycopy(ourMac, 0, f, 22, 6);
        putInt(f, 28, senderIp);
        putInt(f, 38, targetIp);
        synchronized (sender) {
            sender.sendPacket(f);
        }
    }

    /**
     * Reads with libpcap's pcap_next_ex bound directly: pcap4j's getNextRawPacket builds a JNA structure per packet
     * by reflection, which cost the capture thread more than the packets did. One frame buffer is reused; each
     * packet handed on is its own copy.
     */
    private void readLoop(Consumer<Received> packets, Consumer<ArpReply> arp) {
        PointerByReference header = new PointerByReference();
        PointerByReference data = new PointerByReference();
        byte[] frame = new byte[SNAPLEN];
        while (running) {
            int length;
            long micros;
            synchronized (readLock) { // close() takes it before it frees the handle
                if (!running) {
                    return;
                }
                int rc = NextPacket.pcap_next_ex(pcap, header, data);
                if (rc != 1) {
                    if (rc < 0) {
                        LockSupport.parkNanos(1_000_000); // an error (the interface went away?): do not spin
                    }
                    continue; // 0: nothing arrived in time; -2: close() broke the wait
                }
                Pointer h = header.getValue(); // struct pcap_pkthdr: struct timeval ts; bpf_u_int32 caplen, len
                micros = h.getNativeLong(0).longValue() * 1_000_000 + h.getNativeLong(Native.LONG_SIZE).longValue();
                length = Math.min(h.getInt(2L * Native.LONG_SIZE), frame.length);
                data.getValue().read(0, frame, 0, length);
            }
            dispatch(dlt, frame, length, micros, packets, arp);
        }
    }

    /** libpcap's pcap_next_ex, bound directly to the library pcap4j loaded. */
    private static final class NextPacket {
        static {
            Native.register(NativeLibrary.getInstance(System.getProperty("org.pcap4j.core.pcapLibName", "pcap")));
        }

        static native int pcap_next_ex(Pointer pcap, PointerByReference header, PointerByReference data);
    }

    /** The pcap_t behind a pcap4j handle (pcap4j keeps it private). */
    private static Pointer pcapOf(PcapHandle handle) {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return (Pointer) f.get(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this pcap4j keeps no pcap_t where expected: " + e, e);
        }
    }

    /**
     * Hands one captured frame, the first {@code length} bytes of {@code raw}, on as an IPv4 packet or an ARP reply
     * (copies: {@code raw} is reused); any other frame, short ones included, is dropped.
     */
    static void dispatch(DataLinkType dlt, byte[] raw, int length, long micros, Consumer<Received> packets,
                         Consumer<ArpReply> arp) {
        if (dlt.equals(DataLinkType.EN10MB)) {
            if (length < 14) {
                return;
            }
            int type = ((raw[12] & 0xFF) << 8) | (raw[13] & 0xFF);
            if (type == 0x0800) {
                packets.accept(new Received(Arrays.copyOfRange(raw, 14, length), micros));
            } else if (type == 0x0806 && length >= 42 && raw[21] == 2) {
                int ip = ((raw[28] & 0xFF) << 24) | ((raw[29] & 0xFF) << 16) | ((raw[30] & 0xFF) << 8) | (raw[31] & 0xFF);
                arp.accept(new ArpReply(ip, Arrays.copyOfRange(raw, 22, 28)));
            }
        } else if (dlt.equals(DataLinkType.NULL)) {
            if (length > 4) {
                packets.accept(new Received(Arrays.copyOfRange(raw, 4, length), micros));
            }
        } else if (length > 0 && (raw[0] & 0xF0) == 0x40) {
            packets.accept(new Received(Arrays.copyOf(raw, length), micros));
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    @Override
    public void close() {
        running = false;
        try {
            capture.breakLoop(); // wakes a reader waiting inside pcap_next_ex (immediate mode has no read timeout)
        } catch (NotOpenException e) {
            // already closed
        }
        try {
            reader.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (readLock) { // a reader still inside pcap_next_ex finishes before the handle is freed
            capture.close();
        }
        sender.close();
    }
}
