import Foundation
import PipecCLI

exit(PipecMain.run())
