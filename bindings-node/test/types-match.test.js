'use strict'
// index.d.ts is written by hand: this holds it to what `require('tenantry')` really exports. The
// declared value exports are read through the TypeScript checker (functions, classes, consts,
// namespaces and, inside namespaces and object-typed consts, their members; for each class, its
// static members and its instance members) and compared both ways with the runtime module: every
// runtime name must be declared, and every declared name must exist at runtime with the right kind
// (a function where a function or method is declared, a constructor where a class is).
//
// Names: `audit.buildSealed` (a namespace member), `RetryPolicy.exponential` (a static member),
// `SettingsSchema#applyPatch` (an instance member).
//
// (Arity is not compared: napi-rs functions and methods report `length` 0.)

const { test } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const ts = require('typescript')
const tenantry = require('..')

const DTS = path.join(__dirname, '..', 'index.d.ts')
const ENTRY = path.join(__dirname, '..', 'index.mjs')

// ---- declared --------------------------------------------------------------------------------

const OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
}

// Instance members the runtime may leave out of a class's prototype: `private` / `protected` ones
// (and `#names`), which callers cannot use.
function isPublic(symbol) {
  const flags = ts.getDeclarationModifierFlagsFromSymbol(symbol)
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !symbol.name.startsWith('__#')
}

function memberKind(checker, symbol) {
  if (symbol.flags & ts.SymbolFlags.Method) return 'method'
  if (symbol.flags & ts.SymbolFlags.Accessor) return 'accessor'
  return checker.getTypeOfSymbol(symbol).getCallSignatures().length > 0 ? 'method' : 'property'
}

/**
 * The value exports of index.d.ts (or of `text` in its place) as `api`, with the file's compile
 * `errors`. `api` maps each name to `{ kind, members }`: kind is `function`, `class`, `namespace`,
 * `method`, `accessor` or `property`, and a class's `members` are the names of every instance
 * member its type has (inherited ones included, e.g. `name` from `Error`).
 */
function declaredApi(text) {
  const host = ts.createCompilerHost(OPTIONS, true)
  if (text !== undefined) {
    const { getSourceFile, readFile } = host
    host.getSourceFile = (name, ...rest) =>
      path.resolve(name) === DTS ? ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true) : getSourceFile.call(host, name, ...rest)
    host.readFile = (name) => (path.resolve(name) === DTS ? text : readFile.call(host, name))
  }
  const program = ts.createProgram({ rootNames: [DTS], options: OPTIONS, host })
  const source = program.getSourceFile(DTS)
  const errors = ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  const checker = program.getTypeChecker()
  const api = new Map()

  function addClass(name, staticType, instanceType, declarations) {
    api.set(name, { kind: 'class', members: new Set(checker.getPropertiesOfType(instanceType).map((p) => p.name)) })
    for (const p of checker.getPropertiesOfType(staticType)) {
      if (p.name !== 'prototype' && isPublic(p)) api.set(`${name}.${p.name}`, { kind: memberKind(checker, p) })
    }
    // Its own instance members (inherited ones are checked on the class that declares them).
    for (const p of checker.getPropertiesOfType(instanceType)) {
      const own = declarations === undefined || (p.declarations ?? []).some((d) => declarations.includes(d.parent))
      if (own && isPublic(p)) api.set(`${name}#${p.name}`, { kind: memberKind(checker, p) })
    }
  }

  function addByType(name, type) {
    const constructs = type.getConstructSignatures()
    if (constructs.length > 0) {
      addClass(name, type, constructs[0].getReturnType(), undefined)
    } else if (type.getCallSignatures().length > 0) {
      api.set(name, { kind: 'function' })
    } else if (type.flags & ts.TypeFlags.Object) {
      api.set(name, { kind: 'namespace' })
      for (const p of checker.getPropertiesOfType(type)) addByType(`${name}.${p.name}`, checker.getTypeOfSymbol(p))
    } else {
      api.set(name, { kind: 'property' })
    }
  }

  function addExports(symbols, prefix) {
    for (const exported of symbols) {
      const name = prefix + exported.name
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      // Interfaces, type aliases and namespaces of types only: nothing at runtime.
      if (!(symbol.flags & ts.SymbolFlags.Value)) continue
      if (symbol.flags & ts.SymbolFlags.Class) {
        addClass(name, checker.getTypeOfSymbol(symbol), checker.getDeclaredTypeOfSymbol(symbol), symbol.declarations)
      } else if (symbol.flags & ts.SymbolFlags.Function) {
        api.set(name, { kind: 'function' })
      } else if (symbol.flags & ts.SymbolFlags.ValueModule) {
        api.set(name, { kind: 'namespace' })
        addExports(checker.getExportsOfModule(symbol), `${name}.`)
      } else {
        addByType(name, checker.getTypeOfSymbol(symbol))
      }
    }
  }

  addExports(checker.getExportsOfModule(checker.getSymbolAtLocation(source)), '')
  return { api, errors }
}

// ---- at runtime ------------------------------------------------------------------------------

// What every function has of its own: not API.
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'arguments', 'caller'])

function isConstructor(value) {
  try {
    Reflect.construct(String, [], value)
    return true
  } catch {
    return false
  }
}

// A class, as opposed to a plain `function` (also a constructor): written with `class`, or with a
// superclass, or with members on its prototype (the addon's classes).
function isClass(value) {
  if (typeof value !== 'function' || !isConstructor(value)) return false
  if (/^class\b/.test(Function.prototype.toString.call(value))) return true
  if (Object.getPrototypeOf(value) !== Function.prototype) return true
  return Object.getOwnPropertyNames(value.prototype).some((k) => k !== 'constructor')
}

// The descriptor of `name` on `obj` or its prototype chain.
function lookup(obj, name) {
  for (let o = obj; o !== null; o = Object.getPrototypeOf(o)) {
    const desc = Object.getOwnPropertyDescriptor(o, name)
    if (desc !== undefined) return desc
  }
  return undefined
}

/**
 * The names the runtime module exposes: its own names, recursively into objects (namespaces).
 * Functions with a prototype count as classes: their own static names and the own names of their
 * prototype (enumerable or not: the hot paths in js/ install methods non-enumerable) are listed.
 * Error classes set their fields in the constructor: an instance's own names are listed too.
 */
function runtimeApi(mod) {
  const api = new Set()
  function walk(obj, prefix) {
    for (const key of Object.getOwnPropertyNames(obj)) {
      const name = prefix + key
      const { value } = Object.getOwnPropertyDescriptor(obj, key)
      if (typeof value === 'function') {
        api.add(name)
        for (const k of Object.getOwnPropertyNames(value)) {
          if (!FUNCTION_OWN.has(k)) api.add(`${name}.${k}`)
        }
        const proto = value.prototype
        if (proto !== null && typeof proto === 'object') {
          for (const k of Object.getOwnPropertyNames(proto)) {
            if (k !== 'constructor') api.add(`${name}#${k}`)
          }
          if (proto instanceof Error) {
            const probe = new value('probe')
            for (const k of Object.getOwnPropertyNames(probe)) api.add(`${name}#${k}`)
          }
        }
      } else if (value !== null && typeof value === 'object') {
        api.add(name)
        walk(value, `${name}.`)
      } else {
        api.add(name)
      }
    }
  }
  walk(mod, '')
  return api
}

// ---- comparison ------------------------------------------------------------------------------

// The runtime value a declared name points at (a member: its descriptor, found along the chain;
// instance members of an error class also on an instance).
function resolve(mod, name) {
  const parts = name.split(/(?=[.#])/)
  let value = mod
  let desc
  for (const [i, part] of parts.entries()) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
    if (part.startsWith('#')) {
      const key = part.slice(1)
      desc = lookup(value.prototype, key)
      if (desc === undefined && value.prototype instanceof Error) desc = lookup(new value('probe'), key)
    } else {
      desc = lookup(value, i === 0 ? part : part.slice(1))
    }
    if (desc === undefined) return undefined
    value = desc.value
  }
  return desc
}

function describe(desc) {
  if (desc.get !== undefined) return 'an accessor'
  if (isClass(desc.value)) return 'a class'
  if (typeof desc.value === 'function') return 'a function'
  return desc.value === null ? 'null' : typeof desc.value
}

/**
 * Differences between declarations and the runtime: `undeclared` runtime names, `missing` declared
 * names, `wrongKind` declared names of another kind at runtime, and `internal` undeclared runtime
 * names starting with `_` (left out of `undeclared`).
 */
function compare(declared, runtime, mod) {
  const undeclared = []
  const internal = []
  for (const name of runtime) {
    if (declared.has(name)) continue
    // An instance member the class's type has by inheritance (e.g. an error's `name`).
    const cut = name.lastIndexOf('#')
    if (cut > 0 && declared.get(name.slice(0, cut))?.members?.has(name.slice(cut + 1))) continue
    if (/(^|[.#])_[^.#]*$/.test(name)) internal.push(name)
    else undeclared.push(name)
  }
  const missing = []
  const wrongKind = []
  for (const [name, { kind }] of declared) {
    const desc = resolve(mod, name)
    if (desc === undefined) {
      missing.push(name)
      continue
    }
    const value = desc.value
    const isFunction = typeof value === 'function' && !isClass(value)
    const ok = {
      function: isFunction,
      method: isFunction,
      class: isClass(value),
      namespace: value !== null && typeof value === 'object',
      // (A member whose type is callable is declared a method.)
      accessor: !isFunction,
      property: !isFunction,
    }[kind]
    if (!ok) wrongKind.push(`${name} (declared ${kind}, is ${describe(desc)})`)
  }
  return { undeclared, missing, wrongKind, internal }
}

// ---- tests -----------------------------------------------------------------------------------

const { api: declared, errors } = declaredApi()
const runtime = runtimeApi(tenantry)
const diff = compare(declared, runtime, tenantry)

test('index.d.ts compiles', () => {
  assert.deepEqual(errors, [], 'index.d.ts does not compile')
})

test('the comparison sees the whole API (namespaces, classes, statics, instance members)', () => {
  for (const name of ['audit', 'audit.buildSealed', 'audit.SealKey', 'stripe.verify', 'RetryPolicy.exponential', 'SettingsSchema#applyPatch', 'TenantryError#code']) {
    assert.ok(declared.has(name), `not declared: ${name}`)
  }
  for (const name of ['audit.buildSealed', 'audit.SealKey#id', 'RetryPolicy.exponential', 'SettingsSchema#resolve', 'TenantryError#code']) {
    assert.ok(runtime.has(name), `not found at runtime: ${name}`)
  }
  // Type-only exports are not values.
  for (const name of ['Payload', 'VerifyOptions', 'audit.BuildOptions', 'audit.Severity']) assert.ok(!declared.has(name), name)
})

test('every runtime export is declared in index.d.ts', () => {
  assert.deepEqual(diff.undeclared, [], `exported at runtime but not declared in index.d.ts: ${diff.undeclared.join(', ')}`)
})

test('every declared value export exists at runtime', () => {
  assert.deepEqual(diff.missing, [], `declared in index.d.ts but absent at runtime: ${diff.missing.join(', ')}`)
})

test('declared functions and methods are functions, declared classes are constructors', () => {
  assert.deepEqual(diff.wrongKind, [], `declared with another kind than at runtime: ${diff.wrongKind.join(', ')}`)
})

test('no internal `_` name is reachable from the public module', () => {
  assert.deepEqual(diff.internal, [], `internal names reachable from require('tenantry'): ${diff.internal.join(', ')}`)
})

test('the ES module entry exports the same names as the CommonJS one', async () => {
  const esm = await import(ENTRY)
  const named = Object.keys(esm).filter((key) => key !== 'default').sort()
  assert.deepEqual(named, Object.keys(tenantry).sort())
  assert.equal(esm.default, tenantry)
})

test('the comparison catches drift (index.d.ts edited in memory)', () => {
  const source = require('node:fs').readFileSync(DTS, 'utf8')
  const edited = source
    .replace(/\n\/\*\*[^\n]*\*\/\nexport declare function generateSecret\(\): string\n/, '\n')
    .replace('export declare class EventFilter {\n', 'export declare class EventFilter {\n  static parse(text: string): EventFilter\n  clear(): void\n')
    .replace('  function actions(): Record<string, Severity>\n', '  function actions(): Record<string, Severity>\n  const version: string\n')
    .replace('export declare const github: {\n', 'export declare const github: {\n  secretHeader: string\n')
    .replace('export declare function messageId(): string', 'export declare class messageId {}')
    .replace('  readonly maxAttempts: number\n', '  maxAttempts(): number\n')
    .replace(/\n  function buildSealed\(.*/, '')
    .replace(/\n  applyPatch\(.*/, '')
    .concat('\nexport declare function notThere(): void\n')
  assert.notEqual(edited, source)
  const edit = declaredApi(edited)
  assert.deepEqual(edit.errors, [])
  const drift = compare(edit.api, runtime, tenantry)
  assert.deepEqual(drift.undeclared.sort(), ['SettingsSchema#applyPatch', 'audit.buildSealed', 'generateSecret'])
  assert.deepEqual(drift.missing.sort(), ['EventFilter#clear', 'EventFilter.parse', 'audit.version', 'github.secretHeader', 'notThere'])
  assert.deepEqual(drift.wrongKind.sort(), ['RetryPolicy#maxAttempts (declared method, is an accessor)', 'messageId (declared class, is a function)'])
  // Declared a function, a class at runtime.
  const swapped = source.replace('export declare class Webhook {', 'export declare function Webhook(): void\nexport declare class Webhook2 {')
  assert.deepEqual(compare(declaredApi(swapped).api, runtime, tenantry).wrongKind, ['Webhook (declared function, is a class)'])
})
