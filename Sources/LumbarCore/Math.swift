#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers over the C maths library so the core needs no Foundation.

@inlinable public func _atan2f(_ y: Float, _ x: Float) -> Float { atan2f(y, x) }
@inlinable public func _acosf(_ x: Float) -> Float { acosf(x) }
@inlinable public func _asinf(_ x: Float) -> Float { asinf(x) }
@inlinable public func _sinf(_ x: Float) -> Float { sinf(x) }
@inlinable public func _cosf(_ x: Float) -> Float { cosf(x) }
@inlinable public func _expf(_ x: Float) -> Float { expf(x) }
