/** Tests of the settings sent to the server and of the server commands' answers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNewRfcAnswer, parseTemplates, toServerSettings } from '../protocol';

function getter(values: Record<string, unknown>): (key: string) => unknown {
    return (key) => values[key];
}

test('the server settings hold exactly the four server keys', () => {
    const settings = toServerSettings(
        getter({
            configFile: 'docs/.rfc-lsp.yaml',
            severity: { 'missing-section': 'warning', 'unknown-status': 'off' },
            rfcGlobs: ['docs/rfcs/**/*.md'],
            defaultTemplate: 'docuchango',
            'server.path': '/opt/rfc-lsp',
            'trace.server': 'verbose',
        }),
    );
    assert.deepEqual(settings, {
        configFile: 'docs/.rfc-lsp.yaml',
        severity: { 'missing-section': 'warning', 'unknown-status': 'off' },
        rfcGlobs: ['docs/rfcs/**/*.md'],
        defaultTemplate: 'docuchango',
    });
});

test('missing or mistyped values become the defaults', () => {
    assert.deepEqual(toServerSettings(getter({})), { configFile: '', severity: {}, rfcGlobs: [], defaultTemplate: '' });
    assert.deepEqual(
        toServerSettings(getter({ configFile: 3, severity: ['error'], rfcGlobs: ['a/*.md', 7], defaultTemplate: null })),
        { configFile: '', severity: {}, rfcGlobs: ['a/*.md'], defaultTemplate: '' },
    );
    assert.deepEqual(toServerSettings(getter({ severity: { a: 'error', b: 2 } })).severity, { a: 'error' });
});

test('listTemplates answers are checked', () => {
    assert.deepEqual(parseTemplates([{ name: 'docuchango', description: 'Frontmatter' }, { name: 'guided' }]), [
        { name: 'docuchango', description: 'Frontmatter' },
        { name: 'guided', description: '' },
    ]);
    assert.throws(() => parseTemplates(null), /expected an array/);
    assert.throws(() => parseTemplates([{ description: 'no name' }]), /expected a template/);
});

test('newRfc answers are checked', () => {
    assert.equal(parseNewRfcAnswer({ uri: 'file:///work/docs/rfc-1.md' }), 'file:///work/docs/rfc-1.md');
    assert.throws(() => parseNewRfcAnswer(null), /expected \{ uri \}/);
    assert.throws(() => parseNewRfcAnswer({ uri: '' }), /expected \{ uri \}/);
});
