/**
 * The commands that call the server: New RFC from Template and Insert All Missing Sections.
 *
 * Both go through workspace/executeCommand. The server applies its edits itself, through
 * workspace/applyEdit, before it answers.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { SECTION, TemplateInfo, parseNewRfcAnswer, parseTemplates } from './protocol';
import { DOCUMENT_SELECTOR, errorMessage, executeServerCommand } from './server';

type ClientGetter = () => Promise<LanguageClient | undefined>;

/**
 * RFC: New RFC from Template…: a title, then (with several workspace folders) a folder,
 * then a template from the server's list for that folder (each folder may configure its
 * own); the server creates the file and answers its URI, which is then opened.
 */
export async function newRfc(getClient: ClientGetter): Promise<void> {
    const client = await getClient();
    if (client === undefined) {
        return;
    }

    const title = await vscode.window.showInputBox({
        title: 'New RFC',
        prompt: 'Title of the new RFC',
        placeHolder: 'e.g. Response cache for the public API',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' ? 'Enter a title.' : undefined),
    });
    if (title === undefined) {
        return;
    }

    const folder = await pickFolder();
    if (folder === undefined) {
        return;
    }

    let templates: TemplateInfo[];
    try {
        const folderUri = client.code2ProtocolConverter.asUri(folder.uri);
        templates = parseTemplates(await executeServerCommand(client, 'rfc-lsp.listTemplates', [folderUri]));
    } catch (error) {
        void vscode.window.showErrorMessage(`rfc-lsp: could not list the templates: ${errorMessage(error)}`);
        return;
    }
    if (templates.length === 0) {
        void vscode.window.showErrorMessage('rfc-lsp: the server offers no templates.');
        return;
    }
    // The configured default template, if the server lists it, comes first.
    const preferred = vscode.workspace.getConfiguration(SECTION).get<string>('defaultTemplate', '');
    const items = templates
        .map((t) => ({ label: t.name, description: t.description, template: t }))
        .sort((a, b) => Number(b.label === preferred) - Number(a.label === preferred));
    const picked = await vscode.window.showQuickPick(items, {
        title: `New RFC: ${title.trim()}`,
        placeHolder: 'Template of the new RFC',
        matchOnDescription: true,
        ignoreFocusOut: true,
    });
    if (picked === undefined) {
        return;
    }

    let uri: string;
    try {
        const answer = await executeServerCommand(client, 'rfc-lsp.newRfc', [
            { title: title.trim(), template: picked.template.name, dir: folder.uri.fsPath },
        ]);
        uri = parseNewRfcAnswer(answer);
    } catch (error) {
        void vscode.window.showErrorMessage(`rfc-lsp: could not create the RFC: ${errorMessage(error)}`);
        return;
    }
    try {
        const document = await vscode.workspace.openTextDocument(client.protocol2CodeConverter.asUri(uri));
        await vscode.window.showTextDocument(document);
    } catch (error) {
        void vscode.window.showErrorMessage(`rfc-lsp: the RFC was created at ${uri} but could not be opened: ${errorMessage(error)}`);
    }
}

/** The workspace folder on disk to create the RFC in: the only one, or the one the user picks. */
async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (folders.length === 0) {
        void vscode.window.showErrorMessage('rfc-lsp: open a folder first: the new RFC is created in a workspace folder.');
        return undefined;
    }
    if (folders.length === 1) {
        return folders[0];
    }
    const picked = await vscode.window.showQuickPick(
        folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, folder })),
        { placeHolder: 'Workspace folder of the new RFC', ignoreFocusOut: true },
    );
    return picked?.folder;
}

/** RFC: Insert All Missing Sections, for the Markdown document in the active editor. */
export async function insertMissingSections(getClient: ClientGetter): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    if (document === undefined || vscode.languages.match(DOCUMENT_SELECTOR, document) === 0) {
        void vscode.window.showErrorMessage('rfc-lsp: open a Markdown RFC (a file or an untitled Markdown editor) first.');
        return;
    }
    const client = await getClient();
    if (client === undefined) {
        return;
    }
    try {
        // The URI exactly as the client sent it in didOpen, so the server finds the document.
        await executeServerCommand(client, 'rfc-lsp.insertMissingSections', [client.code2ProtocolConverter.asUri(document.uri)]);
    } catch (error) {
        void vscode.window.showErrorMessage(`rfc-lsp: could not insert the missing sections: ${errorMessage(error)}`);
    }
}
