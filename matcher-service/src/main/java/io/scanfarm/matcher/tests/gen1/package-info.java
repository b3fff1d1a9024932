/**
 * First-generation (Nmap 3.x-4.2x, nmap-os-fingerprints) fingerprint tests computed from raw packets: TSeq from
 * the six sequence SYNs, T1-T7 from the TCP probes' replies, PU from the port unreachable, and the SInfo line,
 * printed as Nmap's osscan.cc did. Pure computation: values in, values out.
 */
package io.scanfarm.matcher.tests.gen1;
