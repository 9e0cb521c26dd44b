//! tree-sitter's own allocations (its parse stacks and the nodes of every tree) through
//! mimalloc instead of the C library's `malloc`, for `rfc-lsp check`.
//!
//! A parse allocates and frees a small block for nearly every node, and glibc's `malloc`
//! coalesces and splits free chunks for them. With mimalloc's size-class pages a parse
//! of an RFC of 335 lines takes 16.2 M instructions instead of 17.1 M, and freeing its
//! tree 0.35 M instead of 0.86 M (BENCHMARKS.md). The server keeps
//! glibc: there mimalloc's pages raised the peak with a 50,000-line document from 29 to
//! 35 MB, over its 30 MB budget, for no gain per keystroke.
//!
//! The one module with unsafe code: tree-sitter takes C function pointers.
#![allow(unsafe_code)]

use std::alloc::Layout;
use std::ffi::c_void;
use std::sync::Once;

/// tree-sitter requires non-null results: out of memory aborts, as its default does.
fn checked(ptr: *mut c_void, size: usize) -> *mut c_void {
    if ptr.is_null() && size != 0 {
        std::alloc::handle_alloc_error(
            Layout::from_size_align(size, 16).unwrap_or(Layout::new::<u8>()),
        );
    }
    ptr
}

extern "C" fn malloc(size: usize) -> *mut c_void {
    // SAFETY: mi_malloc has no preconditions.
    checked(unsafe { libmimalloc_sys::mi_malloc(size) }, size)
}

extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    // SAFETY: mi_calloc has no preconditions (it checks the product for overflow).
    checked(
        unsafe { libmimalloc_sys::mi_calloc(count, size) },
        count.saturating_mul(size),
    )
}

extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: tree-sitter passes null or a pointer from these functions (see `install`).
    checked(unsafe { libmimalloc_sys::mi_realloc(ptr, size) }, size)
}

extern "C" fn free(ptr: *mut c_void) {
    // SAFETY: as for `realloc`.
    unsafe { libmimalloc_sys::mi_free(ptr) }
}

/// Routes tree-sitter's allocations through mimalloc for the rest of the process.
///
/// Call it first thing in `main`, before any parser, tree or query exists: a block that
/// glibc allocated must never reach mimalloc's `free`. Calls after the first do nothing.
pub fn install_mimalloc() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: the four functions are one allocator family and never return null for
        // a non-zero size; the caller guarantees no tree-sitter object exists yet, and
        // `Once` keeps the call from racing with itself.
        unsafe {
            tree_sitter::set_allocator(Some(tree_sitter::Allocator {
                malloc,
                calloc,
                realloc,
                free,
            }))
        }
    });
}
