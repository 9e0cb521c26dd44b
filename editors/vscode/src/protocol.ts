/**
 * The settings the server sees.
 *
 * The server receives the `rfcLsp` section without the client-only keys (`server.*`, which
 * say how to start it, and `trace.server`, which the client handles), in one shape through all
 * three channels: initializationOptions, the answer to `workspace/configuration` for section
 * `rfcLsp`, and `workspace/didChangeConfiguration` as `{ settings: { rfcLsp: ... } }`.
 *
 * This module does not import `vscode`, so its tests run under plain `node --test`.
 */

/** The configuration section of the extension, and the client id (so `rfcLsp.trace.server` is honoured). */
export const SECTION = 'rfcLsp';

export const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ServerSettings {
    /** Path of the configuration file, as written; "" means `.rfc-lsp.yaml` in the workspace root. */
    configFile: string;
    /** Rule code -> severity. Values are normally one of SEVERITIES; the settings UI enforces it, settings.json only warns. */
    severity: Record<string, string>;
    /** Globs of the Markdown files that are RFCs; [] means the server's own detection. */
    rfcGlobs: string[];
    /** Template name; "" means detect. */
    defaultTemplate: string;
}

/**
 * Builds the server's settings from the raw values of the `rfcLsp` section (as read with
 * `WorkspaceConfiguration.get`). Values of the wrong type, which a hand-edited settings.json
 * can hold, are replaced by the defaults so the server always gets the documented types.
 */
export function toServerSettings(get: (key: string) => unknown): ServerSettings {
    const str = (value: unknown) => (typeof value === 'string' ? value : '');
    const severity: Record<string, string> = {};
    const rawSeverity = get('severity');
    if (rawSeverity !== null && typeof rawSeverity === 'object' && !Array.isArray(rawSeverity)) {
        for (const [code, level] of Object.entries(rawSeverity)) {
            if (typeof level === 'string') {
                severity[code] = level;
            }
        }
    }
    const rawGlobs = get('rfcGlobs');
    const rfcGlobs = Array.isArray(rawGlobs) ? rawGlobs.filter((g): g is string => typeof g === 'string') : [];
    return {
        configFile: str(get('configFile')),
        severity,
        rfcGlobs,
        defaultTemplate: str(get('defaultTemplate')),
    };
}

/** A template as listed by the server command `rfc-lsp.listTemplates`. */
export interface TemplateInfo {
    name: string;
    description: string;
}

/** Checks the answer of `rfc-lsp.listTemplates`: an array of `{ name, description }`. */
export function parseTemplates(answer: unknown): TemplateInfo[] {
    if (!Array.isArray(answer)) {
        throw new Error(`expected an array of templates, got ${JSON.stringify(answer)}`);
    }
    return answer.map((item: unknown) => {
        const t = item as { name?: unknown; description?: unknown } | null;
        if (t === null || typeof t !== 'object' || typeof t.name !== 'string') {
            throw new Error(`expected a template { name, description }, got ${JSON.stringify(item)}`);
        }
        return { name: t.name, description: typeof t.description === 'string' ? t.description : '' };
    });
}

/** Checks the answer of `rfc-lsp.newRfc`: `{ uri }`. */
export function parseNewRfcAnswer(answer: unknown): string {
    const a = answer as { uri?: unknown } | null;
    if (a === null || typeof a !== 'object' || typeof a.uri !== 'string' || a.uri === '') {
        throw new Error(`expected { uri }, got ${JSON.stringify(answer)}`);
    }
    return a.uri;
}
