/** Tests of the binary resolution: run with `node --test out/test/` after `npm run build`. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ResolveEnvironment, isExecutableFile, notFoundMessage, resolveServerCommand } from '../serverPath';

function posixEnv(executables: string[], overrides: Partial<ResolveEnvironment> = {}): ResolveEnvironment {
    const set = new Set(executables);
    return {
        platform: 'linux',
        pathVariable: '/usr/local/bin:/usr/bin::/opt/tools/bin',
        pathExt: undefined,
        home: '/home/ada',
        cargoHome: undefined,
        baseDir: '/work/repo',
        isExecutable: (file) => set.has(file),
        ...overrides,
    };
}

test('an empty setting finds rfc-lsp in the first PATH folder that has it', () => {
    const r = resolveServerCommand('', posixEnv(['/usr/bin/rfc-lsp', '/opt/tools/bin/rfc-lsp']));
    assert.deepEqual(r, { found: true, command: '/usr/bin/rfc-lsp', tried: ['/usr/local/bin/rfc-lsp', '/usr/bin/rfc-lsp'] });
});

test('empty PATH entries are skipped and ~/.cargo/bin is searched last', () => {
    const r = resolveServerCommand('  ', posixEnv(['/home/ada/.cargo/bin/rfc-lsp']));
    assert.equal(r.found, true);
    assert.equal(r.found && r.command, '/home/ada/.cargo/bin/rfc-lsp');
    assert.deepEqual(r.tried, [
        '/usr/local/bin/rfc-lsp',
        '/usr/bin/rfc-lsp',
        '/opt/tools/bin/rfc-lsp',
        '/home/ada/.cargo/bin/rfc-lsp',
    ]);
});

test('CARGO_HOME replaces ~/.cargo, and is not searched twice when PATH has it', () => {
    const env = posixEnv([], { cargoHome: '/opt/cargo', pathVariable: '/usr/bin:/opt/cargo/bin/' });
    const r = resolveServerCommand('', env);
    assert.equal(r.found, false);
    assert.deepEqual(r.tried, ['/usr/bin/rfc-lsp', '/opt/cargo/bin/rfc-lsp']);
    assert.ok(!r.found && r.cargoBin === undefined);
});

test('not found on PATH: the message says where it looked and how to fix it', () => {
    const r = resolveServerCommand('', posixEnv([]));
    assert.equal(r.found, false);
    if (r.found) return;
    assert.deepEqual(r.searchedDirs, ['/usr/local/bin', '/usr/bin', '/opt/tools/bin', '/home/ada/.cargo/bin']);
    const message = notFoundMessage(r, '');
    assert.match(message, /`rfc-lsp` was not found on PATH \(3 folders\) nor in \/home\/ada\/\.cargo\/bin\./);
    assert.match(message, /cargo install --path \./);
    assert.match(message, /rfcLsp\.server\.path/);
});

test('a bare configured name is searched on PATH too', () => {
    const r = resolveServerCommand('rfc-lsp-dev', posixEnv(['/opt/tools/bin/rfc-lsp-dev']));
    assert.equal(r.found && r.command, '/opt/tools/bin/rfc-lsp-dev');
    const missing = resolveServerCommand('rfc-lsp-dev', posixEnv([]));
    assert.ok(!missing.found);
    if (!missing.found) {
        assert.match(notFoundMessage(missing, 'rfc-lsp-dev'), /`rfc-lsp-dev` \(from `rfcLsp\.server\.path`\) was not found on PATH/);
    }
});

test('absolute, ~ and relative configured paths are checked as files, not searched', () => {
    const env = posixEnv(['/opt/rfc-lsp', '/home/ada/bin/rfc-lsp', '/work/repo/target/release/rfc-lsp']);
    assert.deepEqual(resolveServerCommand('/opt/rfc-lsp', env), { found: true, command: '/opt/rfc-lsp', tried: ['/opt/rfc-lsp'] });
    assert.equal(resolveServerCommand('~/bin/rfc-lsp', env).found && 'ok', 'ok');
    const relative = resolveServerCommand('target/release/rfc-lsp', env);
    assert.equal(relative.found && relative.command, '/work/repo/target/release/rfc-lsp');

    const missing = resolveServerCommand('target/debug/rfc-lsp', env);
    assert.ok(!missing.found);
    if (!missing.found) {
        assert.deepEqual(missing.tried, ['/work/repo/target/debug/rfc-lsp']);
        assert.equal(
            notFoundMessage(missing, 'target/debug/rfc-lsp').split('.')[0],
            'rfc-lsp: the server binary `target/debug/rfc-lsp` (/work/repo/target/debug/rfc-lsp) set in `rfcLsp',
        );
    }
});

test('Windows: PATHEXT extensions, ; separators, quoted entries', () => {
    const env: ResolveEnvironment = {
        platform: 'win32',
        pathVariable: 'C:\\Windows;"C:\\Program Files\\rfc";',
        pathExt: '.COM;.EXE;.BAT',
        home: 'C:\\Users\\ada',
        cargoHome: undefined,
        baseDir: undefined,
        isExecutable: (file) => file === 'C:\\Program Files\\rfc\\rfc-lsp.exe',
    };
    const r = resolveServerCommand('', env);
    assert.equal(r.found && r.command, 'C:\\Program Files\\rfc\\rfc-lsp.exe');
    assert.deepEqual(r.tried, [
        'C:\\Windows\\rfc-lsp.com',
        'C:\\Windows\\rfc-lsp.exe',
        'C:\\Windows\\rfc-lsp.bat',
        'C:\\Program Files\\rfc\\rfc-lsp.com',
        'C:\\Program Files\\rfc\\rfc-lsp.exe',
    ]);
    // A name that already has an executable extension is taken as it is.
    const exe = resolveServerCommand('C:\\tools\\rfc-lsp.EXE', { ...env, isExecutable: () => false });
    assert.deepEqual(exe.tried, ['C:\\tools\\rfc-lsp.EXE']);
    // Not found: Cargo's bin folder in the home directory was searched too.
    const missing = resolveServerCommand('', { ...env, isExecutable: () => false });
    assert.ok(!missing.found && missing.cargoBin === 'C:\\Users\\ada\\.cargo\\bin');
});

test('isExecutableFile: only executable regular files', (t) => {
    if (process.platform === 'win32') {
        t.skip('X_OK means exists on Windows');
        return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rfc-lsp-path-'));
    try {
        const exe = path.join(dir, 'rfc-lsp');
        const plain = path.join(dir, 'notes.md');
        fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
        fs.writeFileSync(plain, '', { mode: 0o644 });
        assert.equal(isExecutableFile(exe), true);
        assert.equal(isExecutableFile(plain), os.userInfo().uid === 0 ? isRootExecutable(plain) : false);
        assert.equal(isExecutableFile(dir), false);
        assert.equal(isExecutableFile(path.join(dir, 'missing')), false);

        const r = resolveServerCommand('', { ...posixEnv([]), pathVariable: dir, isExecutable: isExecutableFile });
        assert.equal(r.found && r.command, exe);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** root passes X_OK only when some execute bit is set; a 0644 file has none. */
function isRootExecutable(file: string): boolean {
    return (fs.statSync(file).mode & 0o111) !== 0;
}
