// See progress.hpp.
#include "builder/tree/progress.hpp"

namespace distbuild::builder {

ProgressScope::ProgressScope(ProgressSink* sink, std::string name, std::uint64_t total)
    : m_sink(sink), m_task(std::move(name), total) {
  if (m_sink != nullptr) {
    m_sink->started(m_task);
  }
}

ProgressScope::~ProgressScope() {
  if (m_sink != nullptr && !m_finished) {
    m_sink->finished(m_task, StepResult{});
  }
}

void ProgressScope::finish(const StepResult& result) {
  if (m_sink != nullptr && !m_finished) {
    m_finished = true;
    m_sink->finished(m_task, result);
  }
}

} // namespace distbuild::builder
