package io.scanfarm.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import org.junit.jupiter.api.Test;

/** Probe plans and packet building are data and arithmetic: no pcap, sockets, files, threads or Kafka. */
class ArchitectureTest {

    @Test
    void planAndPacketPackagesArePure() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.scanfarm.agent");
        noClasses().that().resideInAnyPackage("io.scanfarm.agent.plan..", "io.scanfarm.agent.packet..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pcap4j..", "java.net..", "java.nio.file..",
                        "java.util.concurrent..", "org.apache.kafka..", "io.scanfarm.agent.net..", "io.scanfarm.agent.scan..")
                .orShould().dependOnClassesThat().belongToAnyOf(File.class, Thread.class)
                .check(classes);
    }
}
