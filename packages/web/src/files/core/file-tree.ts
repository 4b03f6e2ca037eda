export interface TreeFile {
  path: string
  size: number
}

export interface TreeNode {
  name: string
  /** Path from the root, "/"-separated; "" for the root. */
  path: string
  /** Null for folders. */
  file: TreeFile | null
  children: TreeNode[]
  /** Bytes under this node. */
  size: number
  fileCount: number
}

/** Builds a folder tree from flat file paths; folders first, then files, each by name. */
export function buildFileTree(files: readonly TreeFile[]): TreeNode {
  const root: TreeNode = { name: '', path: '', file: null, children: [], size: 0, fileCount: 0 }
  const folders = new Map<string, TreeNode>([['', root]])
  for (const file of files) {
    const parts = file.path.split('/').filter(Boolean)
    let parent = root
    let path = ''
    parts.forEach((part, index) => {
      path = path ? `${path}/${part}` : part
      if (index === parts.length - 1) {
        parent.children.push({
          name: part,
          path,
          file,
          children: [],
          size: file.size,
          fileCount: 1,
        })
        return
      }
      let folder = folders.get(path)
      if (!folder) {
        folder = { name: part, path, file: null, children: [], size: 0, fileCount: 0 }
        folders.set(path, folder)
        parent.children.push(folder)
      }
      parent = folder
    })
  }
  const finish = (node: TreeNode): void => {
    for (const child of node.children) {
      if (!child.file) finish(child)
      node.size += child.size
      node.fileCount += child.fileCount
    }
    node.children.sort(
      (a, b) => Number(a.file !== null) - Number(b.file !== null) || a.name.localeCompare(b.name),
    )
  }
  finish(root)
  return root
}
