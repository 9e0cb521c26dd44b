/**
 * The rfc-lsp extension: starts the rfc-lsp language server for Markdown files and adds the
 * RFC commands. No telemetry: the extension talks to the server and to nothing else.
 */
import * as vscode from 'vscode';
import { insertMissingSections, newRfc } from './commands';
import { SECTION } from './protocol';
import { ServerManager } from './server';

let manager: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
    // Created here rather than by the client so that it outlives restarts.
    const output = vscode.window.createOutputChannel('rfc-lsp');
    const servers = new ServerManager(output);
    manager = servers;
    context.subscriptions.push(output);

    const getClient = () => servers.runningClient();
    context.subscriptions.push(
        vscode.commands.registerCommand('rfcLsp.restartServer', () => servers.restart()),
        vscode.commands.registerCommand('rfcLsp.showOutput', () => output.show(true)),
        vscode.commands.registerCommand('rfcLsp.newRfc', () => newRfc(getClient)),
        vscode.commands.registerCommand('rfcLsp.insertMissingSections', () => insertMissingSections(getClient)),
        vscode.workspace.onDidChangeConfiguration(async (event) => {
            // The other settings reach the running server through didChangeConfiguration; how
            // to start it only matters at the next start.
            if (event.affectsConfiguration(`${SECTION}.server`)) {
                const choice = await vscode.window.showInformationMessage(
                    'rfc-lsp: the server path or arguments changed. Restart the server to use them?',
                    'Restart Server',
                );
                if (choice === 'Restart Server') {
                    await servers.restart();
                }
            }
        }),
    );

    // Not awaited: activation should not wait for the server. Commands wait for the start
    // themselves (ServerManager.runningClient).
    void servers.start();
}

export async function deactivate(): Promise<void> {
    await manager?.dispose();
    manager = undefined;
}
