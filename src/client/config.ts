/** Reads the `headroom.*` settings into the shared shape. */
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type HeadroomSettings, type InitOptions } from '../shared/settings';

export function readSettings(): HeadroomSettings {
  const c = vscode.workspace.getConfiguration('headroom');
  return {
    lint: {
      run: c.get<'onType' | 'onSave'>('lint.run', DEFAULT_SETTINGS.lint.run),
      debounceMs: Math.max(0, c.get<number>('lint.debounceMs', DEFAULT_SETTINGS.lint.debounceMs)),
      maxFileSizeMB: Math.max(0, c.get<number>('lint.maxFileSizeMB', DEFAULT_SETTINGS.lint.maxFileSizeMB)),
    },
    ruleset: c.get<string>('ruleset', DEFAULT_SETTINGS.ruleset),
    allowRemoteRefs: c.get<boolean>('allowRemoteRefs', DEFAULT_SETTINGS.allowRemoteRefs),
    allowRefsOutsideWorkspace: c.get<boolean>('allowRefsOutsideWorkspace', DEFAULT_SETTINGS.allowRefsOutsideWorkspace),
    baseline: c.get<string>('baseline', DEFAULT_SETTINGS.baseline),
    knownFindings: c.get<'hint' | 'hide'>('knownFindings', DEFAULT_SETTINGS.knownFindings) === 'hide' ? 'hide' : 'hint',
  };
}

export function initOptions(): InitOptions {
  return { settings: readSettings(), trusted: vscode.workspace.isTrusted };
}
