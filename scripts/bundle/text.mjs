// The text of a bundle file as core's loader (packages/core/loader/code-cache.cjs) loads it.

/**
 * The loaders read bundles as latin1, so they must be ASCII. esbuild's ASCII charset leaves
 * regular-expression literals alone (ansis matches raw CSI bytes); a \u escape means the same
 * character there and in strings.
 */
export const asciiOnly = (code) =>
  code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `code` as one function expression taking `params`: the value of the script the loader compiles
 * from the file's text as read (no second multi-megabyte string). Parenthesised, so V8 compiles
 * it eagerly.
 */
export const bundleText = (params, code) => `(function (${params.join(', ')}) {${code}\n})`;

/**
 * vm.Script cannot run import() on Node 20 (it needs --experimental-vm-modules, and a code-cached
 * script loses the callback), so core's few dynamic imports call a function the loader passes in.
 */
export const routeDynamicImports = (code) => code.replace(/(?<![\w$."'`])import\(/g, '__photonImport(');

/** Whether `code` still has a dynamic import(), which a precompiled package bundle cannot run. */
export const hasDynamicImport = (code) => /(?<![\w$."'`])import\(/.test(code);

/**
 * `__photonLazy(load, callable)`: a proxy that loads a module on first use (scripts/bundle/patches.mjs).
 * assert is itself a function (sonic-boom calls it), so its proxy wraps one.
 */
export const lazyLoadHelpers =
  'function __photonLazy(load,callable){let m;const l=()=>m??=load();return new Proxy(callable?()=>{}:{},{apply:(_,t,a)=>l()(...a),get:(_,k)=>l()[k],has:(_,k)=>k in l(),ownKeys:()=>Reflect.ownKeys(l()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(l(),k);return d&&{...d,configurable:true}}})}' +
  'function __photonLazyBuiltin(id){return __photonLazy(()=>require(id),/assert$/.test(id))}';
