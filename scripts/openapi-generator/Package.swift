// swift-tools-version:6.1
// Builds swift-openapi-generator for `make openapi`; not part of the product.
import PackageDescription
let package = Package(
    name: "openapi-generator",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")],
    targets: []
)
