/**
 * Starting, stopping and restarting the rfc-lsp language client.
 *
 * Each start resolves the binary again and builds a new LanguageClient, so a changed
 * `rfcLsp.server.path` or `rfcLsp.server.extraArgs` takes effect on restart. Start and stop
 * run one after another through a queue, so that quick restarts cannot overlap.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
    CloseAction,
    CloseHandlerResult,
    DidChangeConfigurationNotification,
    DocumentSelector,
    ErrorAction,
    ErrorCodes,
    ErrorHandler,
    ErrorHandlerResult,
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    Message,
    ResponseError,
    ServerOptions,
} from 'vscode-languageclient/node';
import { SECTION, ServerSettings, toServerSettings } from './protocol';
import { notFoundMessage, processEnvironment, resolveServerCommand } from './serverPath';

/** Markdown on disk and in new, unsaved editors. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
    { scheme: 'file', language: 'markdown' },
    { scheme: 'untitled', language: 'markdown' },
];

/**
 * What the client syncs to the server: Markdown, and YAML files, one of which may be an
 * RFC's sidecar (`kep.yaml` beside its README.md) whose findings the server gives; it
 * answers nothing for any other YAML file.
 */
const CLIENT_SELECTOR: DocumentSelector = [...DOCUMENT_SELECTOR, { scheme: 'file', language: 'yaml' }];

const FIX_HINT = 'Install or update it with `cargo install --path .` from the rfc-lsp repository, or set `rfcLsp.server.path`.';

/** The `rfcLsp` settings as the server sees them (see protocol.ts). */
export function readServerSettings(scope?: vscode.Uri): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return toServerSettings((key) => config.get(key));
}

/**
 * A LanguageClient that can keep its own error notifications quiet while it starts.
 *
 * When the server cannot start, vscode-languageclient shows one or more notifications of its
 * own ("couldn't create connection to server", ...). The ServerManager reports a failed
 * start itself, in one message that says how to fix it, so during start() the client's errors
 * go to the output channel only.
 */
class RfcLanguageClient extends LanguageClient {
    quiet = false;

    override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
        super.error(message, data, this.quiet ? false : showNotification);
    }
}

/**
 * What to do when the connection breaks. Like the library's default (restart up to four times
 * in three minutes), except before the server has started: then the client must not restart
 * it, since the failed start is reported by the ServerManager.
 */
class CrashHandler implements ErrorHandler {
    started = false;
    private crashes: number[] = [];

    error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
        return count !== undefined && count <= 3 ? { action: ErrorAction.Continue } : { action: ErrorAction.Shutdown };
    }

    closed(): CloseHandlerResult {
        if (!this.started) {
            return { action: CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        this.crashes = this.crashes.filter((time) => now - time < 3 * 60 * 1000);
        this.crashes.push(now);
        if (this.crashes.length > 4) {
            return {
                action: CloseAction.DoNotRestart,
                message:
                    'The rfc-lsp server stopped 5 times in 3 minutes and will not be restarted. ' +
                    'Its output is in the "rfc-lsp" channel (RFC: Show Server Output); RFC: Restart Server starts it again.',
            };
        }
        return { action: CloseAction.Restart, message: 'The rfc-lsp server stopped; restarting it.', handled: true };
    }
}

export class ServerManager implements vscode.Disposable {
    private client: RfcLanguageClient | undefined;
    private queue: Promise<void> = Promise.resolve();

    constructor(private readonly output: vscode.OutputChannel) {}

    start(): Promise<void> {
        return this.enqueue(() => this.doStart());
    }

    stop(): Promise<void> {
        return this.enqueue(() => this.doStop());
    }

    restart(): Promise<void> {
        return this.enqueue(async () => {
            await this.doStop();
            await this.doStart();
        });
    }

    /** The running client once pending starts and stops are done, or undefined (after telling the user why). */
    async runningClient(): Promise<LanguageClient | undefined> {
        await this.queue;
        if (this.client?.isRunning()) {
            return this.client;
        }
        const choice = await vscode.window.showErrorMessage(
            'rfc-lsp: the server is not running. Its output is in the "rfc-lsp" channel.',
            'Restart Server',
            'Show Output',
        );
        if (choice === 'Restart Server') {
            await vscode.commands.executeCommand('rfcLsp.restartServer');
        } else if (choice === 'Show Output') {
            this.output.show(true);
        }
        return undefined;
    }

    dispose(): Promise<void> {
        return this.stop();
    }

    private enqueue(operation: () => Promise<void>): Promise<void> {
        this.queue = this.queue.then(operation).catch((error: unknown) => {
            this.output.appendLine(`[rfc-lsp extension] ${errorMessage(error)}`);
        });
        return this.queue;
    }

    private async doStart(): Promise<void> {
        if (this.client !== undefined) {
            return;
        }
        // Hand-edited settings.json can hold values of the wrong type: they count as unset.
        const config = vscode.workspace.getConfiguration(SECTION);
        const rawPath = config.get<unknown>('server.path');
        const configured = typeof rawPath === 'string' ? rawPath : '';
        const rawArgs = config.get<unknown>('server.extraArgs');
        const extraArgs = Array.isArray(rawArgs) ? rawArgs.filter((a): a is string => typeof a === 'string') : [];
        const baseDir = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;

        const resolution = resolveServerCommand(configured, processEnvironment(baseDir, os.homedir()));
        if (!resolution.found) {
            this.output.appendLine(`[rfc-lsp extension] Server binary not found. Checked:\n  ${resolution.tried.join('\n  ')}`);
            void this.showStartError(notFoundMessage(resolution, configured));
            return;
        }

        const args = ['serve', ...extraArgs];
        const commandLine = [resolution.command, ...args].join(' ');
        this.output.appendLine(`[rfc-lsp extension] Starting ${commandLine}`);
        // No `transport`: with TransportKind.stdio the client would append `--stdio` to the
        // arguments, which `rfc-lsp serve` does not take. Without it the client still talks
        // over the process's stdin/stdout.
        const serverOptions: ServerOptions = { command: resolution.command, args };
        const crashes = new CrashHandler();
        // The server's stderr during start-up, to quote it if the start fails.
        let startupStderr = '';
        let recording = true;
        const channel = recordingChannel(this.output, (text) => {
            if (recording) {
                startupStderr = (startupStderr + text).slice(-4000);
            }
        });
        const client: RfcLanguageClient = new RfcLanguageClient(
            SECTION,
            'rfc-lsp',
            serverOptions,
            this.clientOptions(channel, crashes, () => client),
        );

        client.quiet = true;
        let failure: unknown;
        try {
            await client.start();
        } catch (error) {
            failure = error ?? new Error('unknown error');
        } finally {
            client.quiet = false;
            recording = false;
        }
        // vscode-languageclient 9 can resolve start() even though the server exited during the
        // handshake (its close handler drops the start promise first), so check the state too.
        if (failure === undefined && client.isRunning()) {
            crashes.started = true;
            this.client = client;
            return;
        }
        // The process may still be alive (e.g. initialize was refused): disposing stops it.
        // Disposing a client that never ran throws; that is expected.
        await client.dispose().catch(() => undefined);
        // A server that exits at once often fails the client's first write (EPIPE) before its
        // stderr has been read: give that a moment to arrive, to quote it.
        recording = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        recording = false;
        void this.showStartError(
            `rfc-lsp: the server \`${commandLine}\` failed to start: ${startFailureReason(failure, startupStderr)}. ` +
                `Its output is in the "rfc-lsp" channel. ${FIX_HINT}`,
        );
    }

    private async doStop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client !== undefined) {
            this.output.appendLine('[rfc-lsp extension] Stopping the server');
            // Rejects when the client has already stopped (e.g. after repeated crashes).
            await client.dispose().catch(() => undefined);
        }
    }

    private clientOptions(
        outputChannel: vscode.OutputChannel,
        crashes: CrashHandler,
        client: () => LanguageClient,
    ): LanguageClientOptions {
        return {
            documentSelector: CLIENT_SELECTOR,
            // One channel for the life of the extension: restarts write to the same place, and
            // the client does not dispose a channel it was given.
            outputChannel,
            errorHandler: crashes,
            // Do not retry or show the library's own message: ServerManager reports it.
            initializationFailedHandler: () => false,
            initializationOptions: () => readServerSettings(),
            // Makes the client send workspace/didChangeConfiguration when `rfcLsp.*` changes
            // (and once after initialized). The middleware below replaces the settings it would
            // send (the whole section) with the server's view of them.
            synchronize: { configurationSection: SECTION },
            middleware: {
                // VS Code's own Markdown extension outlines every Markdown file, and it cannot
                // be turned off; a second provider shows as a second group of the same
                // headings. rfc-lsp's outline (with the metadata fields) is shown only when
                // `rfcLsp.outline` asks for it.
                provideDocumentSymbols: (document, token, next) =>
                    vscode.workspace.getConfiguration(SECTION, document).get<string>('outline') === 'rfc-lsp'
                        ? next(document, token)
                        : [],
                workspace: {
                    configuration: async (params, token, next) => {
                        const result = await next(params, token);
                        if (!Array.isArray(result)) {
                            return result;
                        }
                        return result.map((value: unknown, i) => {
                            const item = params.items[i];
                            if (item?.section !== SECTION) {
                                return value;
                            }
                            const scope = item.scopeUri ? client().protocol2CodeConverter.asUri(item.scopeUri) : undefined;
                            return readServerSettings(scope);
                        });
                    },
                    didChangeConfiguration: async (sections, next) => {
                        if (sections === undefined) {
                            // Pull model: the client sends `settings: null`.
                            return next(sections);
                        }
                        await client().sendNotification(DidChangeConfigurationNotification.type, {
                            settings: { [SECTION]: readServerSettings() },
                        });
                    },
                },
            },
        };
    }

    private async showStartError(message: string): Promise<void> {
        const choice = await vscode.window.showErrorMessage(message, 'Open Setting', 'Show Output');
        if (choice === 'Open Setting') {
            await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
        } else if (choice === 'Show Output') {
            this.output.show(true);
        }
    }
}

/**
 * The output channel, also handing what is appended with append() to `record`. The client
 * writes the server's stderr with append() and its own log lines with appendLine().
 */
function recordingChannel(channel: vscode.OutputChannel, record: (text: string) => void): vscode.OutputChannel {
    return new Proxy(channel, {
        get(target, property) {
            if (property === 'append') {
                return (value: string) => {
                    record(value);
                    target.append(value);
                };
            }
            const value: unknown = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
        },
    });
}

/** Why a start failed, in words: the server's refusal, else what it wrote to stderr, else the client's error. */
function startFailureReason(failure: unknown, stderr: string): string {
    const lostConnection = [
        ErrorCodes.MessageWriteError,
        ErrorCodes.MessageReadError,
        ErrorCodes.PendingResponseRejected,
        ErrorCodes.ConnectionInactive,
    ] as number[];
    if (failure instanceof ResponseError && !lostConnection.includes(failure.code)) {
        return `initialize failed: ${errorMessage(failure)}`;
    }
    const lines = stderr
        .replace(/\x1b\[[0-9;]*m/g, '') // colours, in case the server's log has them
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
    // Command-line errors (clap) and panics say what went wrong on their first line and
    // give advice after it; otherwise the last line is the most recent news.
    const said = [...lines].reverse().find((line) => /^error\b|panicked/i.test(line)) ?? lines[lines.length - 1];
    if (said !== undefined) {
        return `it exited, saying "${said}"`;
    }
    return failure !== undefined ? errorMessage(failure) : 'it exited during start-up';
}

/**
 * Runs a server command through workspace/executeCommand. Sent as a plain request so that it
 * works whether or not the server lists the command in its capabilities (the client's
 * command feature would only register listed ones).
 */
export async function executeServerCommand(client: LanguageClient, command: string, args: unknown[]): Promise<unknown> {
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

/** The message of an error, with a hint when the server does not know the command. */
export function errorMessage(error: unknown): string {
    if (error instanceof ResponseError) {
        // MethodNotFound (-32601) is what tower-lsp answers when the server has no
        // workspace/executeCommand handler at all: an rfc-lsp older than the command.
        const hint = error.code === -32601
            ? ' (this rfc-lsp may be too old: update it with `cargo install --path .` from the rfc-lsp repository)'
            : '';
        return `${error.message}${hint}`;
    }
    return error instanceof Error ? error.message : String(error);
}
