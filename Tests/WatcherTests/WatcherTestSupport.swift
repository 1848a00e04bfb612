// Shared helpers of the watcher's tests.
import Foundation
@testable import Watcher
