import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import { buildFileTree, type TreeNode } from '../files/core/file-tree.js'
import { formatBytes } from '../runs-table/core/format-value.js'
import { DownloadButton, FilePreview, type FileTarget } from './file-preview.js'
import { QueryState } from './query-state.js'

/** A file set as a folder tree; a click previews a file; the whole set downloads as a zip. */
export function FileSetBrowser({
  projectRef,
  object,
  path,
}: {
  projectRef: ProjectRef
  object: string
  path: string
}) {
  const api = useApi()
  const listing = useQuery({
    queryKey: ['file-set', projectRef, object, path],
    queryFn: () => api.files.listSet(projectRef, object, path),
  })
  const [selected, setSelected] = useState<FileTarget | null>(null)
  const tree = useMemo(
    () =>
      buildFileTree(
        (listing.data?.files ?? []).map((file) => ({ path: file.path, size: file.size })),
      ),
    [listing.data],
  )
  return (
    <QueryState query={listing} label="Listing files…">
      {() => (
        <div className="split">
          <div>
            <div className="row small" style={{ marginBottom: 6 }}>
              <span className="grow muted">
                {tree.fileCount} files, {formatBytes(tree.size)}
              </span>
              <DownloadButton
                projectRef={projectRef}
                zip
                label="Download zip"
                target={{ object, path, name: path.split('/').pop() ?? path, size: tree.size }}
              />
            </div>
            <div className="tree">
              <TreeLevel
                node={tree}
                depth={0}
                onOpen={(node) =>
                  setSelected({
                    object,
                    path,
                    file: node.path,
                    name: node.name,
                    size: node.size,
                  })
                }
                selected={selected?.file ?? null}
              />
            </div>
          </div>
          <div>
            {selected ? (
              <FilePreview projectRef={projectRef} target={selected} />
            ) : (
              <p className="muted">Choose a file to preview it.</p>
            )}
          </div>
        </div>
      )}
    </QueryState>
  )
}

function TreeLevel({
  node,
  depth,
  onOpen,
  selected,
}: {
  node: TreeNode
  depth: number
  onOpen(node: TreeNode): void
  selected: string | null
}) {
  const [open, setOpen] = useState(depth < 2)
  return (
    <>
      {node.children.map((child) =>
        child.file ? (
          <div
            key={child.path}
            className="tree-row"
            style={{
              paddingLeft: depth * 14 + 4,
              background: selected === child.path ? 'var(--bg-selected)' : undefined,
            }}
          >
            <span
              className="path"
              role="button"
              tabIndex={0}
              onClick={() => onOpen(child)}
              onKeyDown={(e) => e.key === 'Enter' && onOpen(child)}
            >
              📄 {child.name}
            </span>
            <span className="type">{formatBytes(child.size)}</span>
          </div>
        ) : (
          <div key={child.path}>
            <div className="tree-row" style={{ paddingLeft: depth * 14 + 4 }}>
              <span
                className="path"
                role="button"
                tabIndex={0}
                onClick={() => setOpen(!open)}
                onKeyDown={(e) => e.key === 'Enter' && setOpen(!open)}
              >
                {open ? '▾' : '▸'} 📁 {child.name}
              </span>
              <span className="type">
                {child.fileCount} files, {formatBytes(child.size)}
              </span>
            </div>
            {open && (
              <TreeLevel node={child} depth={depth + 1} onOpen={onOpen} selected={selected} />
            )}
          </div>
        ),
      )}
    </>
  )
}
