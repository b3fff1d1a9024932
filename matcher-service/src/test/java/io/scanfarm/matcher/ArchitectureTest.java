package io.scanfarm.matcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core (fp, osdb, subject, match, report, packet, observation, tests, gen1) is pure computation: no files, no network, no threads, no
 * Kafka, no packet capture. Only io.scanfarm.matcher.load, the I/O shell, may touch the file system.
 */
class ArchitectureTest {

    private static final String[] CORE = {
        "io.scanfarm.matcher.fp..",
        "io.scanfarm.matcher.osdb..",
        "io.scanfarm.matcher.subject..",
        "io.scanfarm.matcher.match..",
        "io.scanfarm.matcher.report..",
        "io.scanfarm.matcher.packet..",
        "io.scanfarm.matcher.observation..",
        "io.scanfarm.matcher.tests..",
        "io.scanfarm.matcher.gen1.."
    };

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.scanfarm.matcher");
    }

    private static ArchRule noIoThreadsOrMessagingIn(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.nio.file..", "java.net..", "java.util.concurrent..", "org.apache.kafka..", "org.pcap4j..")
                .orShould().dependOnClassesThat().belongToAnyOf(File.class, Thread.class)
                .because("the matching core must stay pure computation; I/O belongs in io.scanfarm.matcher.load");
    }

    @Test
    void coreDoesNotDependOnFilesNetworkThreadsKafkaOrPcap() {
        for (String pkg : CORE) {
            assertFalse(mainClasses.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(pkg))
                    .isEmpty(), () -> "no main classes imported from " + pkg);
        }
        noIoThreadsOrMessagingIn(CORE).check(mainClasses);
    }

    @Test
    void theRuleCatchesFileAccessInTheLoadShell() {
        // The same rule applied to the I/O shell must fail: it reads files with java.nio.file, so the rule bites.
        assertThrows(AssertionError.class, () -> noIoThreadsOrMessagingIn("io.scanfarm.matcher.load..").check(mainClasses));
    }
}
