package io.scanfarm.matcher.tests;

import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Tcp;

/**
 * The O attribute: a TCP header's options as Nmap 7.93 spells them (osscan2.cc get_tcpopt_string):
 * L (end of list, and reading goes on), N (no-op), M+MSS hex, W+shift hex, S (SACK permitted), T+two digits
 * saying whether TSval and TSecr are non-zero. Option sizes are assumed, the length bytes ignored. An option
 * kind Nmap does not know advances one byte without using up the remaining length (a quirk kept here, but
 * never reading past the captured bytes). An option cut short by the header's end makes the whole value empty.
 */
public final class OptionString {

    private static final int MAX_LENGTH = 256 - 5;

    private OptionString() {
    }

    public static String of(Tcp tcp) {
        byte[] b = tcp.ip().bytes();
        int p = tcp.optionsOffset();
        int limit = Math.min(b.length, tcp.ip().payloadEnd());
        int remaining = tcp.optionsLength();
        StringBuilder out = new StringBuilder();
        while (remaining > 0 && out.length() < MAX_LENGTH) {
            if (p >= limit) {
                return ""; // the unknown-kind walk ran off the captured bytes: treat as truncated
            }
            int kind = b[p++] & 0xFF;
            switch (kind) {
                case 0 -> {
                    out.append('L');
                    remaining--;
                }
                case 1 -> {
                    out.append('N');
                    remaining--;
                }
                case 2 -> {
                    if (remaining < 4 || p + 3 > limit) {
                        return "";
                    }
                    out.append('M').append(Integer.toHexString(Bytes.u16(b, p + 1)).toUpperCase());
                    p += 3;
                    remaining -= 4;
                }
                case 3 -> {
                    if (remaining < 3 || p + 2 > limit) {
                        return "";
                    }
                    out.append('W').append(Integer.toHexString(b[p + 1] & 0xFF).toUpperCase());
                    p += 2;
                    remaining -= 3;
                }
                case 4 -> {
                    if (remaining < 2 || p + 1 > limit) {
                        return "";
                    }
                    out.append('S');
                    p += 1;
                    remaining -= 2;
                }
                case 8 -> {
                    if (remaining < 10 || p + 9 > limit) {
                        return "";
                    }
                    out.append('T').append(Bytes.s32(b, p + 1) != 0 ? '1' : '0').append(Bytes.s32(b, p + 5) != 0 ? '1' : '0');
                    p += 9;
                    remaining -= 10;
                }
                default -> {
                    // Nmap steps one byte and keeps the remaining count: the next byte is read as a kind.
                }
            }
        }
        return remaining > 0 ? "" : out.toString();
    }

    /**
     * TSval of a well-formed timestamp option, walking the options with their length bytes as Nmap's
     * gettcpopt_ts does; null when there is none.
     */
    public static Long timestamp(Tcp tcp) {
        byte[] b = tcp.ip().bytes();
        int p = tcp.optionsOffset();
        int limit = Math.min(b.length, tcp.ip().payloadEnd());
        int len = tcp.optionsLength();
        while (len > 0 && p < limit && b[p] != 0) {
            int op = b[p++] & 0xFF;
            if (op == 1) {
                len--;
                continue;
            }
            if (p >= limit) {
                return null;
            }
            int oplen = b[p++] & 0xFF;
            if (oplen < 2 || oplen > len) {
                return null;
            }
            if (op == 8 && oplen == 10) {
                return p + 4 <= limit ? Bytes.u32(b, p) : null;
            }
            len -= oplen;
            p += oplen - 2;
        }
        return null;
    }
}
