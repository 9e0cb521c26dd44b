/**
 * Finding the `rfc-lsp` binary.
 *
 * The extension resolves the command itself instead of letting `child_process.spawn` search
 * PATH, so that when nothing is found the error can say exactly where it looked. This module
 * does not import `vscode`, so its tests run under plain `node --test`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The binary looked for when `rfcLsp.server.path` is empty. */
export const DEFAULT_SERVER_COMMAND = 'rfc-lsp';

/** Everything the resolution depends on, injectable for tests. */
export interface ResolveEnvironment {
    platform: NodeJS.Platform;
    /** The PATH variable (`process.env.PATH`; Node reads it case-insensitively on Windows). */
    pathVariable: string | undefined;
    /** The PATHEXT variable; only used on Windows. */
    pathExt: string | undefined;
    /** The user's home directory, for a leading `~` and the default Cargo folder. */
    home: string;
    /** CARGO_HOME, if set: `cargo install` puts binaries in its `bin` folder. */
    cargoHome: string | undefined;
    /** Folder a relative configured path is taken from (the first workspace folder), if any. */
    baseDir: string | undefined;
    /** Whether a file exists, is a regular file and may be executed. */
    isExecutable: (file: string) => boolean;
}

export type Resolution =
    | { found: true; command: string; tried: string[] }
    | {
          found: false;
          /** Every file checked, in order. */
          tried: string[];
          /** What was looked for, as configured (or the default name). */
          requested: string;
          /** The folders searched for a bare name: PATH's, then Cargo's bin folder; empty for a path. */
          searchedDirs: string[];
          /** Cargo's bin folder, when it was searched in addition to PATH. */
          cargoBin: string | undefined;
          /** For a configured path (not a bare name): the file it resolved to. */
          resolvedFile: string | undefined;
      };

/** `fs.accessSync(X_OK)` on a regular file. On Windows X_OK only checks existence, which is why the PATHEXT extensions matter there. */
export function isExecutableFile(file: string): boolean {
    try {
        if (!fs.statSync(file).isFile()) {
            return false;
        }
        fs.accessSync(file, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** The environment of this process. */
export function processEnvironment(baseDir: string | undefined, home: string): ResolveEnvironment {
    return {
        platform: process.platform,
        pathVariable: process.env.PATH,
        pathExt: process.env.PATHEXT,
        home,
        cargoHome: process.env.CARGO_HOME,
        baseDir,
        isExecutable: isExecutableFile,
    };
}

/**
 * Resolves the configured server path to an executable file.
 *
 * - empty: `rfc-lsp` is searched for;
 * - a bare name (no path separator): searched for on PATH, then in Cargo's bin folder
 *   (`$CARGO_HOME/bin` or `~/.cargo/bin`), because an editor started from a desktop launcher
 *   often lacks the PATH of the shell that ran `cargo install`;
 * - `~` or `~/...`: taken from the home directory;
 * - any other relative path: taken from `baseDir` (the first workspace folder);
 * - an absolute path: checked as it is.
 *
 * On Windows each candidate without a PATHEXT extension is also tried with each extension.
 */
export function resolveServerCommand(configured: string, env: ResolveEnvironment): Resolution {
    const win = env.platform === 'win32';
    const p = win ? path.win32 : path.posix;
    const requested = configured.trim() === '' ? DEFAULT_SERVER_COMMAND : configured.trim();
    const tried: string[] = [];
    const check = (file: string): string | undefined => {
        for (const candidate of withExtensions(file, env)) {
            tried.push(candidate);
            if (env.isExecutable(candidate)) {
                return candidate;
            }
        }
        return undefined;
    };

    let expanded = requested;
    if (expanded === '~' || expanded.startsWith('~/') || (win && expanded.startsWith('~\\'))) {
        expanded = p.join(env.home, expanded.slice(1));
    }
    const bare = !expanded.includes('/') && !(win && expanded.includes('\\'));

    if (!bare) {
        const file = p.isAbsolute(expanded) ? expanded : p.resolve(env.baseDir ?? env.home, expanded);
        const command = check(file);
        return command !== undefined
            ? { found: true, command, tried }
            : { found: false, tried, requested, searchedDirs: [], cargoBin: undefined, resolvedFile: file };
    }

    const { dirs, cargoBin } = searchDirectories(env);
    for (const dir of dirs) {
        const command = check(p.join(dir, expanded));
        if (command !== undefined) {
            return { found: true, command, tried };
        }
    }
    return { found: false, tried, requested, searchedDirs: dirs, cargoBin, resolvedFile: undefined };
}

/** The PATH entries, then Cargo's bin folder if PATH does not hold it already. */
function searchDirectories(env: ResolveEnvironment): { dirs: string[]; cargoBin: string | undefined } {
    const win = env.platform === 'win32';
    const p = win ? path.win32 : path.posix;
    const dirs = (env.pathVariable ?? '')
        .split(win ? ';' : ':')
        // Windows allows quoted entries such as "C:\Program Files\x"; an empty entry means
        // the current directory, which is meaningless for an editor, so it is skipped.
        .map((dir) => (win ? dir.replace(/^"(.*)"$/, '$1') : dir))
        .filter((dir) => dir !== '');
    const cargoBin = p.join(env.cargoHome && env.cargoHome !== '' ? env.cargoHome : p.join(env.home, '.cargo'), 'bin');
    const same = (a: string, b: string) => {
        const norm = (s: string) => p.normalize(s).replace(/[\\/]+$/, '');
        return win ? norm(a).toLowerCase() === norm(b).toLowerCase() : norm(a) === norm(b);
    };
    if (dirs.some((dir) => same(dir, cargoBin))) {
        return { dirs, cargoBin: undefined };
    }
    return { dirs: [...dirs, cargoBin], cargoBin };
}

/** The file itself, and on Windows the file with each PATHEXT extension it does not already have. */
function withExtensions(file: string, env: ResolveEnvironment): string[] {
    if (env.platform !== 'win32') {
        return [file];
    }
    const exts = (env.pathExt && env.pathExt !== '' ? env.pathExt : '.COM;.EXE;.BAT;.CMD')
        .split(';')
        .filter((ext) => ext !== '');
    const current = path.win32.extname(file).toLowerCase();
    if (current !== '' && exts.some((ext) => ext.toLowerCase() === current)) {
        return [file];
    }
    return exts.map((ext) => file + ext.toLowerCase());
}

/**
 * The one error message shown when the binary is not found. It names what was looked for and
 * where, and how to fix it; the full list of files checked goes to the output channel.
 */
export function notFoundMessage(resolution: Extract<Resolution, { found: false }>, configured: string): string {
    const fix =
        'Install it with `cargo install --path .` from the rfc-lsp repository, ' +
        'or set `rfcLsp.server.path` to the binary.';
    if (resolution.resolvedFile !== undefined) {
        const file = resolution.resolvedFile === resolution.requested ? '' : ` (${resolution.resolvedFile})`;
        return `rfc-lsp: the server binary \`${resolution.requested}\`${file} set in \`rfcLsp.server.path\` ` +
            `does not exist or is not executable. ${fix}`;
    }
    const from = configured.trim() === '' ? '' : ' (from `rfcLsp.server.path`)';
    const pathDirs = resolution.searchedDirs.length - (resolution.cargoBin === undefined ? 0 : 1);
    const where = `on PATH (${pathDirs} ${pathDirs === 1 ? 'folder' : 'folders'})` +
        (resolution.cargoBin === undefined ? '' : ` nor in ${resolution.cargoBin}`);
    return `rfc-lsp: the server binary \`${resolution.requested}\`${from} was not found ${where}. ${fix}`;
}
