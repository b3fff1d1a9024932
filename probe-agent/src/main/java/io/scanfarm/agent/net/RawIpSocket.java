package io.scanfarm.agent.net;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.Closeable;
import java.io.IOException;

/**
 * A raw IPv4 socket (socket(AF_INET, SOCK_RAW, IPPROTO_RAW): we write the whole IP header) for targets on this
 * machine. Frames injected with libpcap on Linux's loopback device never reach the local stack, so Nmap sends
 * to localhost through such a socket too; capture still goes through libpcap.
 */
public final class RawIpSocket implements Closeable {

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

        int close(int fd);
    }

    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;

    private final LibC libc;
    private final int fd;

    private RawIpSocket(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    public static RawIpSocket open() throws IOException {
        LibC libc = Native.load("c", LibC.class);
        int fd = libc.socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
        if (fd < 0) {
            throw new IOException("cannot open a raw IP socket (errno " + Native.getLastError() + "): " + Privileges.NEEDED);
        }
        return new RawIpSocket(libc, fd);
    }

    /** Sends a complete IPv4 packet to the address in its header. */
    public synchronized void send(byte[] ip) throws IOException {
        byte[] addr = new byte[16];
        addr[0] = AF_INET; // sa_family in host (little-endian) order on the platforms we run on
        System.arraycopy(ip, 16, addr, 4, 4);
        int n = libc.sendto(fd, ip, ip.length, 0, addr, addr.length);
        if (n < 0) {
            throw new IOException("raw send failed (errno " + Native.getLastError() + ")");
        }
    }

    @Override
    public synchronized void close() {
        libc.close(fd);
    }
}
