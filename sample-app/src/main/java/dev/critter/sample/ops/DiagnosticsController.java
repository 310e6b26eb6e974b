package dev.critter.sample.ops;

import java.util.List;
import java.util.Map;

import dev.critter.CritterDiagnostics;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What Critter built at start-up, through the {@link CritterDiagnostics} bean:
 * {@code GET /critter/chains} (each handler chain and its generated invoker, as text),
 * {@code GET /critter/queues} and {@code GET /critter/routes}.
 */
@RestController
class DiagnosticsController {

    private final CritterDiagnostics diagnostics;

    DiagnosticsController(CritterDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    @GetMapping(path = "/critter/chains", produces = MediaType.TEXT_PLAIN_VALUE)
    String chains() {
        StringBuilder text = new StringBuilder();
        for (CritterDiagnostics.HandlerChainDescription chain : diagnostics.handlerChains()) {
            text.append("== ").append(chain.messageType()).append(" -> ").append(chain.handler()).append('\n')
                    .append("   parameters: ").append(chain.parameters()).append('\n')
                    .append("   cascades:   ").append(chain.cascades()).append('\n')
                    .append("   invoker:    ").append(chain.invoker()).append('\n')
                    .append(chain.sourceText().indent(3)).append('\n');
        }
        return text.toString();
    }

    @GetMapping("/critter/queues")
    List<CritterDiagnostics.LocalQueueDescription> queues() {
        return diagnostics.localQueues();
    }

    @GetMapping("/critter/routes")
    Map<String, List<String>> routes() {
        return diagnostics.routes();
    }
}
