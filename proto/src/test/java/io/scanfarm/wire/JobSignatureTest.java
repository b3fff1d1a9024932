package io.scanfarm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.proto.ScanJob;
import java.security.KeyPair;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobSignatureTest {

    private static final KeyPair ISSUER = JobSignature.generate();

    static ScanJob job() {
        return ScanJob.newBuilder().setSchemaVersion(1).setScanId("s1").setJobId("s1-lab-1").setSegment("lab")
                .addTargets("198.18.16.0/28").addTargets("198.18.16.77").addPorts(80).addPorts(1)
                .setProfile(ProbeProfile.NMAP2).setRateLimitPps(500).setCreatedAtMs(1_000).setExpiresAtMs(3_601_000).build();
    }

    @Test
    void aSignedJobVerifiesWithTheIssuersKeyAndCarriesItsId() throws Exception {
        ScanJob signed = JobSignature.sign(job(), ISSUER);
        assertEquals(JobSignature.keyId(ISSUER.getPublic()), signed.getIssuerKeyId());
        assertEquals(64, signed.getSignature().size(), "an Ed25519 signature");
        assertTrue(JobSignature.verify(signed, ISSUER.getPublic()));
        assertTrue(JobSignature.verify(ScanJob.parseFrom(signed.toByteArray()), ISSUER.getPublic()), "survives the wire");
    }

    static Stream<Arguments> alterations() {
        return Stream.of(
                Arguments.of("scan id", (UnaryOperator<ScanJob.Builder>) b -> b.setScanId("s2")),
                Arguments.of("job id", (UnaryOperator<ScanJob.Builder>) b -> b.setJobId("s1-lab-2")),
                Arguments.of("segment", (UnaryOperator<ScanJob.Builder>) b -> b.setSegment("dmz")),
                Arguments.of("a target widened", (UnaryOperator<ScanJob.Builder>) b -> b.setTargets(0, "0.0.0.0/0")),
                Arguments.of("a target added", (UnaryOperator<ScanJob.Builder>) b -> b.addTargets("10.0.0.1")),
                Arguments.of("a port", (UnaryOperator<ScanJob.Builder>) b -> b.setPorts(0, 22)),
                Arguments.of("the profile", (UnaryOperator<ScanJob.Builder>) b -> b.setProfile(ProbeProfile.NMAP1)),
                Arguments.of("the rate", (UnaryOperator<ScanJob.Builder>) b -> b.setRateLimitPps(0)),
                Arguments.of("created at", (UnaryOperator<ScanJob.Builder>) b -> b.setCreatedAtMs(2_000)),
                Arguments.of("expiry extended", (UnaryOperator<ScanJob.Builder>) b -> b.setExpiresAtMs(Long.MAX_VALUE)),
                Arguments.of("issuer key id", (UnaryOperator<ScanJob.Builder>) b -> b.setIssuerKeyId("0000000000000000")),
                Arguments.of("schema version", (UnaryOperator<ScanJob.Builder>) b -> b.setSchemaVersion(2)),
                Arguments.of("a signature bit", (UnaryOperator<ScanJob.Builder>) b -> {
                    byte[] s = b.getSignature().toByteArray();
                    s[10] ^= 1;
                    return b.setSignature(ByteString.copyFrom(s));
                }),
                Arguments.of("a truncated signature", (UnaryOperator<ScanJob.Builder>) b -> b.setSignature(b.getSignature().substring(0, 63))),
                Arguments.of("no signature", (UnaryOperator<ScanJob.Builder>) ScanJob.Builder::clearSignature));
    }

    @ParameterizedTest(name = "altered: {0}")
    @MethodSource("alterations")
    void anyAlterationBreaksTheSignature(String what, UnaryOperator<ScanJob.Builder> alter) {
        ScanJob signed = JobSignature.sign(job(), ISSUER);
        assertFalse(JobSignature.verify(alter.apply(signed.toBuilder()).build(), ISSUER.getPublic()), what);
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() {
        KeyPair other = JobSignature.generate();
        ScanJob forged = JobSignature.sign(job(), other).toBuilder().setIssuerKeyId(JobSignature.keyId(ISSUER.getPublic())).build();
        assertFalse(JobSignature.verify(forged, ISSUER.getPublic()));
        assertNotEquals(JobSignature.keyId(other.getPublic()), JobSignature.keyId(ISSUER.getPublic()));
    }

    @Test
    void listBoundariesAreInTheCanonicalBytes() {
        ScanJob ab = job().toBuilder().clearTargets().addTargets("1.2.3.4").addTargets("5.6.7.8").build();
        ScanJob joined = job().toBuilder().clearTargets().addTargets("1.2.3.45.6.7.8").build();
        assertFalse(java.util.Arrays.equals(JobSignature.canonical(ab), JobSignature.canonical(joined)));
    }

    @Test
    void keysRoundTripThroughPem() {
        String pub = JobSignature.pem(ISSUER.getPublic());
        String priv = JobSignature.pem(ISSUER.getPrivate());
        assertTrue(pub.startsWith("-----BEGIN PUBLIC KEY-----\n"), pub);
        assertTrue(priv.startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8, as openssl writes it");
        KeyPair back = JobSignature.keyPair(priv, pub);
        assertArrayEquals(ISSUER.getPublic().getEncoded(), back.getPublic().getEncoded());
        assertTrue(JobSignature.verify(JobSignature.sign(job(), back), ISSUER.getPublic()), "the reread key signs as the original");
        assertThrows(IllegalArgumentException.class, () -> JobSignature.publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        assertThrows(IllegalArgumentException.class, () -> JobSignature.publicKey("not a key"));
    }
}
