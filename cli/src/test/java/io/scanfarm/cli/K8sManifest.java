package io.scanfarm.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One Kubernetes object from its own file under deploy/k8s, named NNN-Kind-name.yaml (Strimzi's layout). */
record K8sManifest(Path file, JsonNode node) {

    /** YAML as the deployment files are read: a key given twice is an error, not silently the last one. */
    static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** Every document in a YAML file. */
    static List<JsonNode> documents(Path file) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
            return out;
        }
    }

    String kind() {
        return node.path("kind").asText();
    }

    String name() {
        return node.path("metadata").path("name").asText();
    }

    String namespace() {
        return node.path("metadata").path("namespace").asText(null);
    }

    /** The apply-order number at the start of the file name. */
    int order() {
        return Integer.parseInt(file.getFileName().toString().substring(0, 3));
    }

    /** How kubectl names it: kind in lower case, then the API group when there is one, e.g. deployment.apps/x. */
    String kubectlName() {
        String apiVersion = node.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : "." + apiVersion.substring(0, slash);
        return kind().toLowerCase(Locale.ROOT) + group + "/" + name();
    }

    boolean isWorkload() {
        return List.of("Deployment", "DaemonSet", "StatefulSet", "Job").contains(kind());
    }

    /** The pod spec of a workload. */
    JsonNode podSpec() {
        return node.path("spec").path("template").path("spec");
    }

    JsonNode podTemplateMetadata() {
        return node.path("spec").path("template").path("metadata");
    }
}
